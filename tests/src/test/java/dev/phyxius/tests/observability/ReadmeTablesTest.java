package dev.phyxius.tests.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorEvent;
import dev.phyxius.supervisor.SupervisorOptions;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.RecordedEvents;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.EventType;
import jdk.jfr.ValueDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's meter and JFR tables say exactly what the code registers and records. */
@Timeout(30)
class ReadmeTablesTest {

    static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** The rows of the first table after {@code heading} in README.md, cells split. */
    static List<List<String>> table(String heading) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
        int at = lines.indexOf(heading);
        if (at < 0) {
            throw new AssertionError("README.md has no heading " + heading);
        }
        List<List<String>> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines.subList(at + 1, lines.size())) {
            if (line.startsWith("|")) {
                inTable = true;
                List<String> cells =
                        List.of(line.substring(1, line.length() - 1).split("\\|", -1));
                if (!cells.get(0).contains("---")
                        && !cells.get(0).isBlank()
                        && cells.get(0).contains("`")) {
                    rows.add(cells.stream().map(String::trim).toList());
                }
            } else if (inTable) {
                break;
            }
        }
        return rows;
    }

    static List<String> code(String cell) {
        List<String> found = new ArrayList<>();
        Matcher matcher = CODE.matcher(cell);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    @Test
    void theMeterTableListsEveryMeterWithItsTypeAndTags() throws Exception {
        Set<String> documented = new TreeSet<>();
        for (List<String> row : table("### Meters (Micrometer)")) {
            documented.add(code(row.get(0)).get(0) + " " + row.get(1).toUpperCase(Locale.ROOT) + " "
                    + code(row.get(2)).stream().sorted().toList());
        }

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ProcessTestKit kit = ProcessTestKit.create()) {
            exerciseEveryMeter(kit, registry);
        }
        Set<String> registered = new TreeSet<>();
        registry.getMeters()
                .forEach(meter -> registered.add(
                        meter.getId().getName() + " " + meter.getId().getType() + " "
                                + meter.getId().getTags().stream()
                                        .map(Tag::getKey)
                                        .sorted()
                                        .toList()));

        assertEquals(documented, registered);
    }

    /** A supervised process handles a message, fails, is restarted, fails again and is given up on. */
    static void exerciseEveryMeter(ProcessTestKit kit, SimpleMeterRegistry registry) {
        RecordedEvents events = kit.events();
        PhyxiusObservability observability = PhyxiusObservability.builder()
                .meterRegistry(registry)
                .forwardTo(kit.eventSink())
                .build();
        ProcessSpec<String, String, Void> spec = ProcessSpec.<String, String>named("readme")
                .init(() -> "state")
                .handler((state, msg, tools) -> {
                    if (msg.equals("boom")) {
                        throw new IllegalStateException("boom");
                    }
                    return state;
                })
                .build();
        try (Supervisor supervisor = new Supervisor(observability.apply(SupervisorOptions.of(kit.clock())
                .withStrategy(SupervisionStrategy.oneForOne().withMaxRestarts(1, Duration.ofMinutes(1)))))) {
            ProcessRef<String> ref = supervisor.spawn(spec);
            ref.send("work");
            assertEquals(
                    ref.id(),
                    events.awaitEvent(ProcessEvent.MessageHandled.class).id());
            ref.send("boom");
            assertEquals(
                    ref.id(), events.awaitEvent(ProcessEvent.Restarted.class).id());
            ref.send("boom");
            SupervisorEvent.GaveUp gaveUp = events.awaitEvent(SupervisorEvent.GaveUp.class);
            assertEquals(ref.id(), gaveUp.child());
            assertEquals(1, gaveUp.restarts());
        }
    }

    @Test
    void theJfrTableListsEveryEventWithItsCategoryLabelAndFields() throws Exception {
        Set<String> documented = new TreeSet<>();
        for (List<String> row : table("### JFR events")) {
            documented.add(code(row.get(0)).get(0) + " | Phyxius/" + row.get(1) + " | " + row.get(2) + " | "
                    + new TreeSet<>(code(row.get(3))));
        }

        Set<String> recorded = new TreeSet<>();
        for (String name : FlightRecordingTest.CATEGORIES.keySet()) {
            EventType type = FlightRecordingTest.loadEventType(name);
            Set<String> fields = new TreeSet<>();
            for (ValueDescriptor field : type.getFields()) {
                if (!Set.of("startTime", "duration", "eventThread", "stackTrace")
                        .contains(field.getName())) {
                    fields.add(field.getName());
                }
            }
            recorded.add(type.getName() + " | " + String.join("/", type.getCategoryNames()) + " | " + type.getLabel()
                    + " | " + fields);
        }
        assertEquals(documented, recorded);
    }
}
