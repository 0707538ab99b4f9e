package foil.eval;

import foil.FoilException;

/**
 * Part {@code index} (1 to {@code count}) of a test set split into {@code count} shards. Shards are made of
 * whole batches, so an image meets the same batch companions in a shard as in one whole run, and merged
 * shards give exactly the figures of that run.
 */
public record Shard(int index, int count) implements java.io.Serializable {
    public static final Shard WHOLE = new Shard(1, 1);

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new FoilException("--shard must be i/N with 1 <= i <= N, not " + index + "/" + count);
        }
    }

    /** Parses "i/N". */
    public static Shard parse(String text) {
        String[] parts = text.trim().split("/");
        try {
            if (parts.length == 2) {
                return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new FoilException("--shard must be i/N (for example 2/4: the second of four parts), not '" + text + "'");
    }

    /** The images [from, to) of this shard, of the first {@code n}, in batches of {@code batch}. */
    public int[] range(int n, int batch) {
        int batches = (n + batch - 1) / batch;
        int first = (int) ((long) (index - 1) * batches / count);
        int last = (int) ((long) index * batches / count);
        return new int[] {Math.min(n, first * batch), Math.min(n, last * batch)};
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
