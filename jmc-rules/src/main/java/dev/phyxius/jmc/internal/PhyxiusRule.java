package dev.phyxius.jmc.internal;

import dev.phyxius.analysis.Analysis;
import dev.phyxius.analysis.AnalysisOptions;
import dev.phyxius.analysis.Finding;
import dev.phyxius.analysis.spi.RecordingFacts;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;
import java.util.function.BiFunction;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.common.util.IPreferenceValueProvider;
import org.openjdk.jmc.common.util.TypedPreference;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IResultValueProvider;
import org.openjdk.jmc.flightrecorder.rules.IRule;
import org.openjdk.jmc.flightrecorder.rules.ResultBuilder;
import org.openjdk.jmc.flightrecorder.rules.Severity;
import org.openjdk.jmc.flightrecorder.rules.TypedResult;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.EventAvailability;

/**
 * A Phyxius finding as a JMC rule: the evaluation turns JMC's events into facts, runs the
 * report's analysis with the rule's preferences as thresholds, and reports the highest-scoring
 * finding of its kind, naming every other process it found too.
 */
public abstract class PhyxiusRule implements IRule {

    /** The topic the rules are grouped under in JMC's automated analysis. */
    public static final String TOPIC = "phyxius";

    private final String id;
    private final String name;
    private final Map<String, EventAvailability> required;
    private final List<TypedPreference<?>> preferences;
    private final BiFunction<AnalysisOptions, IPreferenceValueProvider, AnalysisOptions> configure;

    /**
     * A rule.
     *
     * @param id          the finding's rule id ({@code SlowHandlers}, ...)
     * @param name        the rule's name
     * @param required    the events it needs
     * @param preferences its thresholds
     * @param configure   the thresholds as analysis options
     */
    protected PhyxiusRule(
            String id,
            String name,
            Map<String, EventAvailability> required,
            List<TypedPreference<?>> preferences,
            BiFunction<AnalysisOptions, IPreferenceValueProvider, AnalysisOptions> configure) {
        this.id = id;
        this.name = name;
        this.required = required;
        this.preferences = preferences;
        this.configure = configure;
    }

    /**
     * A duration preference, read as a {@link Duration}.
     *
     * @param values     the preference values
     * @param preference the preference
     * @return its value
     */
    protected static Duration duration(IPreferenceValueProvider values, TypedPreference<IQuantity> preference) {
        return Duration.ofNanos(
                Math.max(1, values.getPreferenceValue(preference).clampedLongValueIn(UnitLookup.NANOSECOND)));
    }

    /**
     * A count preference.
     *
     * @param values     the preference values
     * @param preference the preference
     * @return its value, at least 1
     */
    protected static long count(IPreferenceValueProvider values, TypedPreference<IQuantity> preference) {
        return Math.max(1, values.getPreferenceValue(preference).longValue());
    }

    @Override
    public RunnableFuture<IResult> createEvaluation(
            IItemCollection items, IPreferenceValueProvider valueProvider, IResultValueProvider resultProvider) {
        return new FutureTask<>(() -> evaluate(items, valueProvider));
    }

    private IResult evaluate(IItemCollection items, IPreferenceValueProvider values) {
        RecordingFacts facts = JmcFacts.of(items);
        if (facts.phyxiusEvents() == 0) {
            return ResultBuilder.createFor(this, values)
                    .setSeverity(Severity.NA)
                    .setSummary("The recording holds no Phyxius event.")
                    .setExplanation(
                            "Record with the observability's JFR bridge on (PhyxiusObservability.builder().jfr(true))"
                                    + " and its events enabled: -XX:StartFlightRecording:settings=default,settings=phyxius.jfc")
                    .build();
        }
        Analysis analysis = facts.analyze(configure.apply(AnalysisOptions.defaults(), values));
        List<Finding> found = analysis.findings(id);
        if (found.isEmpty()) {
            return ResultBuilder.createFor(this, values)
                    .setSeverity(Severity.OK)
                    .setSummary("No process of the " + analysis.processes().size() + " in the recording: "
                            + name.toLowerCase() + " not found.")
                    .addResult(TypedResult.SCORE, UnitLookup.NUMBER_UNITY.quantity(0))
                    .build();
        }
        Finding worst = found.get(0);
        StringBuilder explanation = new StringBuilder(worst.explanation());
        if (found.size() > 1) {
            explanation.append(" Also found for: ");
            for (int i = 1; i < found.size(); i++) {
                Finding f = found.get(i);
                explanation
                        .append(i > 1 ? "; " : "")
                        .append(f.process())
                        .append(" (score ")
                        .append((int) f.score())
                        .append(")");
            }
            explanation.append('.');
        }
        return ResultBuilder.createFor(this, values)
                .setSeverity(Severity.get(worst.score()))
                .setSummary(worst.summary())
                .setExplanation(explanation.toString())
                .addResult(TypedResult.SCORE, UnitLookup.NUMBER_UNITY.quantity(worst.score()))
                .build();
    }

    @Override
    public String getId() {
        return "Phyxius" + id;
    }

    @Override
    public String getTopic() {
        return TOPIC;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Map<String, EventAvailability> getRequiredEvents() {
        return required;
    }

    @Override
    public Collection<TypedPreference<?>> getConfigurationAttributes() {
        return preferences;
    }

    @Override
    public Collection<TypedResult<?>> getResults() {
        return List.of(TypedResult.SCORE);
    }
}
