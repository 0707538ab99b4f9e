package foil.run;

import foil.attack.Attack;
import foil.attack.AttackRun;
import foil.attack.Targeting;
import foil.data.ImageDataset;
import foil.model.Classifier;
import foil.report.AttackReport;
import foil.io.RunDirectory;
import java.util.LinkedHashMap;
import java.util.Map;

/** Attacks the first {@code n} examples of a dataset and writes metrics, the figure and examples. */
public record AttackJob(Attack attack, Targeting targeting, int n, int batch, long seed, boolean saveExamples,
        int figureRows) {

    public Map<String, Object> execute(Classifier classifier, ImageDataset data, String[] classNames,
            RunDirectory dir) {
        ImageDataset chosen = data.head(n);
        AttackRun.Outcome o = AttackRun.run(attack, classifier, chosen, targeting, batch, seed, true);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("model", classifier.describe());
        extra.put("data", data.name());
        extra.put("attack", attack);
        return AttackReport.write(dir, o, classNames, data.channels(), data.height(), data.width(), figureRows,
                saveExamples, attack.minimal(), extra);
    }
}
