package foil.attack;

import foil.FoilException;
import java.util.Random;

/** Which label an attack aims at: none (untargeted), one fixed class, or a random class other than y. */
public record Targeting(Mode mode, int target, long seed) {
    public enum Mode { UNTARGETED, FIXED, RANDOM }

    public static Targeting untargeted() {
        return new Targeting(Mode.UNTARGETED, -1, 0);
    }

    public static Targeting fixed(int target) {
        return new Targeting(Mode.FIXED, target, 0);
    }

    public static Targeting random(long seed) {
        return new Targeting(Mode.RANDOM, -1, seed);
    }

    /** Whether an image of this label is attacked: all are, except those already of the fixed target. */
    public boolean attacks(int label) {
        return mode != Mode.FIXED || label != target;
    }

    public boolean targeted() {
        return mode != Mode.UNTARGETED;
    }

    /** Targets for these labels, or null when untargeted. */
    public int[] targets(int[] labels, int classes) {
        switch (mode) {
            case UNTARGETED:
                return null;
            case FIXED:
                if (target < 0 || target >= classes) {
                    throw new FoilException("--target " + target + " is not a class: use 0 to " + (classes - 1));
                }
                int[] fixed = new int[labels.length];
                java.util.Arrays.fill(fixed, target);
                return fixed;
            default:
                Random random = new Random(seed);
                int[] t = new int[labels.length];
                for (int i = 0; i < labels.length; i++) {
                    t[i] = (labels[i] + 1 + random.nextInt(classes - 1)) % classes;
                }
                return t;
        }
    }

    public String describe() {
        return switch (mode) {
            case UNTARGETED -> "untargeted";
            case FIXED -> "target " + target;
            case RANDOM -> "random target";
        };
    }
}
