package foil.cli;

import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.io.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "data", mixinStandardHelpOptions = true, description = "Inspect datasets.",
        subcommands = {DataCommand.Info.class})
final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "info", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Sizes, image shape and class counts of a dataset.")
    static final class Info implements Callable<Integer> {
        @Mixin
        DataOption.Required data;

        @Mixin
        Common common;

        @Override
        public Integer call() {
            common.apply();
            DataSource source = data.locate();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", source.name());
            out.put("dir", source.dir().toAbsolutePath().toString());
            for (ImageDataset d : new ImageDataset[] {source.train(), source.test()}) {
                Map<String, Object> split = new LinkedHashMap<>();
                split.put("size", d.size());
                split.put("shape", new int[] {d.channels(), d.height(), d.width()});
                split.put("classes", d.numClasses());
                split.put("class_counts", d.classCounts());
                out.put(d.name().endsWith("train") ? "train" : "test", split);
            }
            out.put("class_names", source.classNames(source.train().numClasses()));
            System.out.println(Json.MAPPER.valueToTree(out).toPrettyString());
            return 0;
        }
    }
}
