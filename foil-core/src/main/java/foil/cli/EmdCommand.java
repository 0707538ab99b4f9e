package foil.cli;

import foil.FoilException;
import foil.metrics.EarthMovers;
import foil.metrics.WeightedPoints;
import foil.io.AtomicFiles;
import foil.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "emd", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Exact earth mover's distance between two weighted point sets (CSV rows weight,x1[,x2,...]; "
                + "weights normalised per side); prints one JSON line.")
final class EmdCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "First distribution (CSV).")
    Path first;

    @Parameters(index = "1", description = "Second distribution (CSV).")
    Path second;

    @Option(names = "--cost", description = "Ground cost: euclidean, sqeuclidean or abs (L1; |i - j| in 1-D).")
    String cost = "euclidean";

    @Option(names = "--plan", description = "Write the optimal plan as CSV (from,to,mass).")
    Path plan;

    @Mixin
    Common common;

    @Override
    public Integer call() throws IOException {
        common.apply();
        EarthMovers.Cost c = EarthMovers.Cost.of(cost);
        WeightedPoints a = WeightedPoints.readCsv(first);
        WeightedPoints b = WeightedPoints.readCsv(second);
        if (plan != null && Files.exists(plan) && !common.force) {
            throw new FoilException("--plan " + plan + " exists: choose another file or add --force");
        }
        long start = System.nanoTime();
        EarthMovers.Result r = EarthMovers.distance(a.weights(), a.points(), b.weights(), b.points(), c);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (plan != null) {
            StringBuilder sb = new StringBuilder("from,to,mass\n");
            for (EarthMovers.Move m : r.plan()) {
                sb.append(m.from()).append(',').append(m.to()).append(',').append(m.mass()).append('\n');
            }
            AtomicFiles.writeString(plan, sb.toString());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("distance", r.distance());
        out.put("cost", c.cliName);
        out.put("n", a.weights().length);
        out.put("m", b.weights().length);
        out.put("plan_entries", r.plan().size());
        out.put("pivots", r.pivots());
        out.put("seconds", seconds);
        System.out.println(Json.line(out));
        return 0;
    }
}
