package dev.phyxius.simulation;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Runs a {@link SimulationTest} method as a simulation scenario, once per seed. Registered by the
 * annotation; users do not name it.
 *
 * <p>JUnit resolves the method's {@link Simulation} parameter to a placeholder, then this
 * extension skips JUnit's own single invocation and instead invokes the method inside each run,
 * with that run's {@code Simulation}. A failing run fails the test with a
 * {@link SimulationFailure} whose message starts with the reproduction line.
 *
 * @since 0.1
 */
public final class SimulationExtension implements ParameterResolver, InvocationInterceptor {

    /** Created by JUnit through {@link org.junit.jupiter.api.extension.ExtendWith}. */
    public SimulationExtension() {}

    /**
     * Supports the {@link Simulation} parameter of a simulation test.
     *
     * @param parameterContext the parameter
     * @param extensionContext the test
     * @return whether the parameter is a {@code Simulation}
     */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Simulation.class;
    }

    /**
     * A placeholder; each run passes its own {@code Simulation}.
     *
     * @param parameterContext the parameter
     * @param extensionContext the test
     * @return {@code null}, replaced per run
     */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return null;
    }

    /**
     * Runs the method under simulation, for one seed or many.
     *
     * @param invocation        JUnit's own invocation, skipped
     * @param invocationContext the method, target and arguments
     * @param extensionContext  the test
     * @throws Throwable a {@link SimulationFailure} for a failing seed
     */
    @Override
    public void interceptTestMethod(
            Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext)
            throws Throwable {
        invocation.skip();
        Method method = invocationContext.getExecutable();
        SimulationTest config = method.getAnnotation(SimulationTest.class);
        if (config == null) {
            throw new ExtensionConfigurationException("SimulationExtension runs only @SimulationTest methods");
        }
        int simulationIndex = simulationParameter(method);
        Object target = invocationContext.getTarget().orElse(null);
        List<Object> arguments = invocationContext.getArguments();
        SimulationScenario scenario = sim -> {
            Object[] args = arguments.toArray();
            args[simulationIndex] = sim;
            try {
                method.setAccessible(true);
                method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw rethrow(e.getCause());
            }
        };
        String name = extensionContext.getRequiredTestClass().getSimpleName() + "#" + method.getName();
        SimulationOptions options = options(config, name);
        if (config.seed() != SimulationTest.EXPLORE) {
            Simulation.run(config.seed(), options, scenario).assertPassed();
            return;
        }
        if (config.seeds() < 1) {
            throw new ExtensionConfigurationException("@SimulationTest seeds must be >= 1, was " + config.seeds());
        }
        SimulationExploration exploration = Simulation.explore(config.firstSeed(), config.seeds(), options, scenario);
        extensionContext.publishReportEntry("simulation", exploration.toString());
        exploration.assertPassed();
    }

    private static SimulationOptions options(SimulationTest config, String name) {
        try {
            SimulationFaults faults = SimulationFaults.none();
            if (config.crashHandlers() > 0) {
                faults = faults.crashHandlers(config.crashHandlers());
                if (config.crashProcesses().length > 0) {
                    faults = faults.inProcesses(config.crashProcesses());
                }
                if (config.crashMessages().length > 0) {
                    faults = faults.onMessages(config.crashMessages());
                }
            } else if (config.crashProcesses().length > 0 || config.crashMessages().length > 0) {
                throw new ExtensionConfigurationException(
                        "@SimulationTest crashProcesses and crashMessages aim" + " crashHandlers, which is 0");
            }
            if (config.delayTimers() > 0) {
                faults = faults.delayTimers(config.delayTimers(), Duration.parse(config.maxTimerDelay()));
            }
            if (config.mailboxCapacity() > 0) {
                faults = faults.mailboxCapacity(config.mailboxCapacity());
            }
            if (config.pctSteps() < 0) {
                throw new ExtensionConfigurationException(
                        "@SimulationTest pctSteps must be 0 (measure) or >= 1, was " + config.pctSteps());
            }
            SimulationStrategy strategy = switch (config.strategy()) {
                case RANDOM -> SimulationStrategy.random();
                case PCT ->
                    config.pctSteps() == 0
                            ? SimulationStrategy.pct(config.bugDepth())
                            : SimulationStrategy.pct(config.bugDepth(), config.pctSteps());
            };
            return SimulationOptions.defaults()
                    .withName(name)
                    .withStrategy(strategy)
                    .withFaults(faults)
                    .withMessageDetail(config.messages())
                    .withBlockingBound(Duration.parse(config.blockingBound()))
                    .withMaxSteps(config.maxSteps())
                    .withTimeLimit(Duration.parse(config.timeLimit()));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ExtensionConfigurationException("@SimulationTest of " + name + ": " + e.getMessage(), e);
        }
    }

    private static int simulationParameter(Method method) {
        Parameter[] parameters = method.getParameters();
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i].getType() == Simulation.class) {
                return i;
            }
        }
        throw new ExtensionConfigurationException(
                "@SimulationTest method " + method.getName() + " must take a Simulation parameter");
    }

    private static Exception rethrow(Throwable cause) {
        if (cause instanceof Exception exception) {
            return exception;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new RuntimeException(cause);
    }
}
