package foil.gan;

import foil.FoilException;

/**
 * The resolutions of progressive growing and when each is trained (Karras et al. 2018): from {@code base} × base
 * the networks double in size until they cover the images ({@code full} × full, images padded to it), and training
 * runs through stages of {@code phaseImages} images each: the base resolution alone, then for each new resolution a
 * fade (its block blended in with α rising linearly from 0 to 1) and a stabilisation (α = 1). After the last stage
 * the schedule stays at the full resolution.
 */
public record GrowthSchedule(int base, int levels, long phaseImages) {
    public GrowthSchedule {
        if (base < 2 || levels < 1 || phaseImages < 1) {
            throw new FoilException("progressive growing needs a base resolution of at least 2, one level and a positive "
                    + "--phase-images (got " + base + ", " + levels + ", " + phaseImages + ")");
        }
    }

    /**
     * The schedule for square images of {@code size}: base 4 grows to the first power of two that holds them (28 →
     * 32, padded as the official code does for MNIST); base 7 (or any other) must reach the size exactly (7 → 14 →
     * 28).
     */
    public static GrowthSchedule forImages(int size, int base, long phaseImages) {
        int levels = 1;
        int r = base;
        while (r < size) {
            r *= 2;
            levels++;
        }
        if (r != size && base != 4) {
            throw new FoilException("--base " + base + " does not reach " + size + " px by doubling: use --base 4 (images "
                    + "padded to " + nextPowerOfTwo(size) + ") or a base that doubles to " + size);
        }
        return new GrowthSchedule(base, levels, phaseImages);
    }

    private static int nextPowerOfTwo(int n) {
        return Integer.highestOneBit(n - 1) * 2;
    }

    /** The resolution of level l. */
    public int resolution(int level) {
        return base << level;
    }

    public int full() {
        return resolution(levels - 1);
    }

    /** Stages in all: the base, then a fade and a stabilisation per further level. */
    public int stages() {
        return 2 * levels - 1;
    }

    /** Images in all the stages. */
    public long totalImages() {
        return stages() * phaseImages;
    }

    /** The stage at {@code images} shown: 0 the base; 2l − 1 the fade-in of level l; 2l its stabilisation. */
    public int stage(long images) {
        return (int) Math.min(stages() - 1, images / phaseImages);
    }

    /** The level being trained at a stage. */
    public int level(int stage) {
        return (stage + 1) / 2;
    }

    /** α at {@code images}: rising from 0 to 1 through a fade, 1 otherwise. */
    public float alpha(long images) {
        int s = stage(images);
        if (s % 2 == 0) {
            return 1f;
        }
        return (float) (images - s * phaseImages) / phaseImages;
    }

    public boolean fading(long images) {
        return stage(images) % 2 == 1;
    }
}
