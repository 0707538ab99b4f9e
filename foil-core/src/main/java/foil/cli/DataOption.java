package foil.cli;

import foil.data.DataSource;
import picocli.CommandLine.Option;

/** --data, the dataset a command reads: required, or Fashion-MNIST unless given. */
abstract class DataOption {
    /** The name or directory given. */
    abstract String name();

    /** The dataset, found on this machine. */
    DataSource locate() {
        return DataSource.locate(name());
    }

    /** --data, Fashion-MNIST unless given. */
    static final class Default extends DataOption {
        @Option(names = "--data", description = "Dataset: fashion-mnist, mnist, or a directory of IDX files.")
        String data = "fashion-mnist";

        @Override
        String name() {
            return data;
        }
    }

    /** --data, which the command needs. */
    static final class Required extends DataOption {
        @Option(names = "--data", required = true, description = "Dataset: fashion-mnist, mnist, or a directory of "
                + "IDX files.")
        String data;

        @Override
        String name() {
            return data;
        }
    }
}
