package foil.cli;

import foil.numerics.Doctor;
import foil.numerics.Faults;
import foil.numerics.SelfCheck;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code foil doctor}: the engine, the CPU, and every numerics check, one line each; exit 1 when any fails. */
@Command(name = "doctor", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Checks the engine's numbers on this machine: forward values and input and weight gradients of "
                + "every operation Foil uses (convolution, transposed convolution, pooling, batch norm in both modes, "
                + "linear, the losses) against float64 references, at one thread and at all threads.",
            "Exit 0 when every check passes, 1 when any fails.",
            "FOIL_ONEDNN=auto|on|off chooses whether PyTorch may use oneDNN (auto: only where it passes)."})
final class DoctorCommand implements Callable<Integer> {
    @Option(names = "--threads", description = "PyTorch intra-op threads (0: PyTorch's choice); checks run at 1 "
            + "and at this count.")
    int threads = 0;

    @Option(names = "--fault", hidden = true, description = "Put a deliberately wrong kernel into an operation "
            + "(conv2d), to see the check fail.")
    String fault;

    @Option(names = "--scan-onednn", description = "Instead of the checks: scan oneDNN's convolutions over channel "
            + "counts (inputs × filters × kernels 1, 3, 4 × strides 1, 2), as shipped and padded as Foil pads them; "
            + "exit 1 when a padded shape is wrong.")
    boolean scanOneDnn;

    @Override
    public Integer call() {
        if (threads < 0) {
            throw new foil.FoilException("--threads must be 0 (automatic) or positive, not " + threads);
        }
        foil.Foil.configure(threads);
        if (scanOneDnn) {
            return foil.numerics.OneDnnScan.run(System.out, foil.numerics.OneDnnScan.CHANNELS) ? 0 : 1;
        }
        var checks = fault == null ? SelfCheck.full() : Faults.inject(fault, SelfCheck.full());
        return Doctor.run(System.out, checks) ? 0 : 1;
    }
}
