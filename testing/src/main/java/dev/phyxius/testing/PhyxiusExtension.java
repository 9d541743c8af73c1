package dev.phyxius.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link PhyxiusTest}: gives each test a {@link ProcessTestKit} and
 * checks it afterwards.
 *
 * <p><b>Injection.</b> Resolves parameters of type {@code ProcessTestKit} and
 * {@code ControlledClock} (the kit's clock) in test methods, {@code @BeforeEach}/{@code @AfterEach}
 * methods and test constructors; all of them see the same kit within one test. With the default
 * per-method lifecycle a new kit is made for every test. A kit first resolved at class level (a
 * {@code @BeforeAll} parameter, or a constructor under {@code @TestInstance(PER_CLASS)}) is shared
 * by the class's tests and checked after all of them.
 *
 * <p><b>Teardown.</b> After each test that used a kit, the extension {@linkplain
 * ProcessTestKit#close() closes} it (stopping every process it made) and then calls {@link
 * ProcessTestKit#assertNothingUnexpected()}, so that a failure or a drop the test did not declare
 * fails the test, with the event log in the message.
 *
 * @since 0.1
 */
public final class PhyxiusExtension implements ParameterResolver, AfterEachCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PhyxiusExtension.class);
    private static final String KIT = "kit";

    /** Creates the extension; JUnit does this for {@link PhyxiusTest}. */
    public PhyxiusExtension() {}

    /**
     * Resolves test constructors in the test method's context, so that a constructor-injected kit
     * belongs to one test and is torn down after it.
     *
     * @param rootContext the root context
     * @return {@link ExtensionContextScope#TEST_METHOD}
     */
    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    /**
     * Supports {@code ProcessTestKit} and {@code ControlledClock} parameters.
     *
     * @param parameterContext the parameter
     * @param extensionContext where it is declared
     * @return whether this extension resolves it
     */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == ProcessTestKit.class || type == ControlledClock.class;
    }

    /**
     * Returns the current test's kit, or its clock, making the kit on first use.
     *
     * @param parameterContext the parameter
     * @param extensionContext where it is declared
     * @return the kit or its clock
     */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        // Looks in enclosing contexts first, so a class-level kit is shared by its tests.
        ProcessTestKit kit = extensionContext
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(KIT, key -> ProcessTestKit.create(), ProcessTestKit.class);
        return parameterContext.getParameter().getType() == ControlledClock.class ? kit.clock() : kit;
    }

    /**
     * Closes and checks the test's own kit, if it used one.
     *
     * @param context the test's context
     * @throws AssertionError if a process did not stop, or failed or dropped a message unexpectedly
     */
    @Override
    public void afterEach(ExtensionContext context) {
        finish(context);
    }

    /**
     * Closes and checks a kit shared by the class's tests, if there is one.
     *
     * @param context the class's context
     * @throws AssertionError if a process did not stop, or failed or dropped a message unexpectedly
     */
    @Override
    public void afterAll(ExtensionContext context) {
        finish(context);
    }

    private static void finish(ExtensionContext context) {
        // remove touches only this context's store: a class-level kit survives each test.
        ProcessTestKit kit = context.getStore(NAMESPACE).remove(KIT, ProcessTestKit.class);
        if (kit == null) {
            return;
        }
        AssertionError stopFailure = null;
        try {
            kit.close();
        } catch (AssertionError e) {
            stopFailure = e;
        }
        try {
            kit.assertNothingUnexpected();
        } catch (AssertionError unexpected) {
            if (stopFailure != null) {
                unexpected.addSuppressed(stopFailure);
            }
            throw unexpected;
        }
        if (stopFailure != null) {
            throw stopFailure;
        }
    }
}
