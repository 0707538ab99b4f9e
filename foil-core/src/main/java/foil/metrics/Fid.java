package foil.metrics;

import foil.FoilException;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Fréchet Inception Distance of Heusel et al. (2017) between two Gaussians fitted to features:
 * |mu1 - mu2|² + tr Σ1 + tr Σ2 - 2 tr (Σ1^½ Σ2 Σ1^½)^½. The trace of the matrix square root is taken without
 * complex arithmetic, from the eigenvalues of the symmetric Σ1^½ Σ2 Σ1^½ (negative ones, rounding noise of a
 * positive semi-definite matrix, clamped to 0), so covariances of rank below their dimension are fine. The
 * value is that of pytorch-fid's formula, which takes sqrtm(Σ1 Σ2): the two products have the same eigenvalues.
 */
public final class Fid {
    private Fid() {}

    public static double distance(GaussianStats a, GaussianStats b) {
        int d = a.dimension();
        if (b.dimension() != d) {
            throw new FoilException("features of different dimensions: " + d + " and " + b.dimension()
                    + " (both sides must come from the same feature network and layer)");
        }
        double meanTerm = 0;
        double traces = 0;
        for (int i = 0; i < d; i++) {
            double diff = a.mu()[i] - b.mu()[i];
            meanTerm += diff * diff;
            traces += a.sigma()[i][i] + b.sigma()[i][i];
        }
        DMatrixRMaj root = symmetricRoot(new DMatrixRMaj(a.sigma()));
        DMatrixRMaj s2 = new DMatrixRMaj(b.sigma());
        DMatrixRMaj tmp = new DMatrixRMaj(d, d);
        DMatrixRMaj m = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(root, s2, tmp);
        CommonOps_DDRM.mult(tmp, root, m);
        symmetrize(m);
        double traceRoot = 0;
        for (double lambda : eigenvalues(m)) {
            traceRoot += Math.sqrt(Math.max(lambda, 0));
        }
        return meanTerm + traces - 2 * traceRoot;
    }

    /**
     * FID∞ of Chong & Forsyth (2020): FID of the reference statistics against random subsets of {@code fake} of
     * each size in {@code sizes}, fitted by least squares as a line in 1/N and read at 1/N = 0.
     */
    public static Extrapolation infinity(GaussianStats real, float[][] fake, int[] sizes, long seed) {
        if (sizes.length < 2) {
            throw new FoilException("FID-infinity needs at least two sample sizes");
        }
        Random random = new Random(seed);
        double[] x = new double[sizes.length];
        double[] y = new double[sizes.length];
        for (int s = 0; s < sizes.length; s++) {
            if (sizes[s] < 2 || sizes[s] > fake.length) {
                throw new FoilException("FID-infinity sample size " + sizes[s] + " is outside [2, " + fake.length + "]");
            }
            x[s] = 1.0 / sizes[s];
            y[s] = distance(real, GaussianStats.of(Kid.subset(fake, sizes[s], random)));
        }
        double mx = 0;
        double my = 0;
        for (int s = 0; s < x.length; s++) {
            mx += x[s] / x.length;
            my += y[s] / y.length;
        }
        double sxy = 0;
        double sxx = 0;
        for (int s = 0; s < x.length; s++) {
            sxy += (x[s] - mx) * (y[s] - my);
            sxx += (x[s] - mx) * (x[s] - mx);
        }
        double slope = sxx == 0 ? 0 : sxy / sxx;
        return new Extrapolation(my - slope * mx, slope, sizes.clone(), y);
    }

    /** FID∞ (the intercept), the slope in 1/N, and the FID measured at each size. */
    public record Extrapolation(double fidInfinity, double slope, int[] sizes, double[] fids) {}

    /** V diag(sqrt(max(λ, 0))) Vᵀ of a symmetric positive semi-definite matrix. */
    static DMatrixRMaj symmetricRoot(DMatrixRMaj s) {
        int d = s.numRows;
        DMatrixRMaj copy = s.copy();
        symmetrize(copy);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(copy)) {
            throw new FoilException("the covariance's eigendecomposition did not converge");
        }
        DMatrixRMaj out = new DMatrixRMaj(d, d);
        for (int k = 0; k < d; k++) {
            double lambda = eig.getEigenvalue(k).getReal();
            DMatrixRMaj v = eig.getEigenVector(k);
            double w = Math.sqrt(Math.max(lambda, 0));
            if (w == 0 || v == null) {
                continue;
            }
            for (int i = 0; i < d; i++) {
                double vi = v.get(i) * w;
                for (int j = 0; j < d; j++) {
                    out.add(i, j, vi * v.get(j));
                }
            }
        }
        return out;
    }

    static double[] eigenvalues(DMatrixRMaj symmetric) {
        int d = symmetric.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
        if (!eig.decompose(symmetric.copy())) {
            throw new FoilException("the eigendecomposition in FID did not converge");
        }
        double[] out = new double[d];
        for (int k = 0; k < d; k++) {
            out[k] = eig.getEigenvalue(k).getReal();
        }
        return out;
    }

    private static void symmetrize(DMatrixRMaj m) {
        for (int i = 0; i < m.numRows; i++) {
            for (int j = i + 1; j < m.numCols; j++) {
                double v = (m.get(i, j) + m.get(j, i)) / 2;
                m.set(i, j, v);
                m.set(j, i, v);
            }
        }
    }
}
