package dev.phyxius.tests.architecture;

import java.lang.module.ModuleDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * What a published module's {@code module-info} may say, as a check on a
 * {@link ModuleDescriptor} (so it can be shown to fail on synthetic descriptors as well as run
 * on the compiled ones).
 *
 * <p>For module {@code m} (clock, process, ...), the descriptor must:
 * <ul>
 *   <li>be an explicit, non-open module named {@code dev.phyxius.m};</li>
 *   <li>contain only packages in its own namespace, {@code dev.phyxius.m} and below;</li>
 *   <li>export and open to everyone only API packages: its namespace less any package with an
 *       {@code internal} or {@code spi} segment;</li>
 *   <li>export or open anything else only to Phyxius modules (an SPI to the siblings that
 *       implement or call it);</li>
 *   <li>if it is a core module (clock, process, supervisor), require only {@code java.base}
 *       and Phyxius modules.</li>
 * </ul>
 */
final class ModuleDescriptorRules {

    private static final String PHYXIUS_PREFIX = PhyxiusArchitecture.ROOT + ".";

    private ModuleDescriptorRules() {}

    /**
     * Checks the descriptor of a published module.
     *
     * @param module     the short name of the module, as in {@link PhyxiusArchitecture#MODULES}
     * @param descriptor its descriptor
     * @return one sentence per broken rule; empty if the descriptor follows every rule
     */
    static List<String> violations(String module, ModuleDescriptor descriptor) {
        String expectedName = PHYXIUS_PREFIX + module;
        String name = descriptor.name();
        List<String> violations = new ArrayList<>();

        if (!name.equals(expectedName)) {
            violations.add("module " + name + " should be named " + expectedName);
        }
        if (descriptor.isAutomatic()) {
            violations.add(name + " is an automatic module; it needs a module-info that says what it exports");
        }
        if (descriptor.isOpen()) {
            violations.add(name + " is an open module, which opens its internal packages to reflection by everyone");
        }
        for (String pkg : descriptor.packages()) {
            if (!isInOrBelow(pkg, expectedName)) {
                violations.add(name + " contains package " + pkg + ", outside its namespace " + expectedName);
            }
        }
        for (ModuleDescriptor.Exports export : descriptor.exports()) {
            if (!export.isQualified() && !isApi(export.source(), expectedName)) {
                violations.add(name + " exports " + export.source() + " to every module; only API packages ("
                        + expectedName + " and below, without an internal or spi segment) may be exported unqualified");
            }
            for (String target : export.targets()) {
                if (!target.startsWith(PHYXIUS_PREFIX)) {
                    violations.add(name + " exports " + export.source() + " to " + target
                            + "; qualified exports may target only Phyxius modules");
                }
            }
        }
        for (ModuleDescriptor.Opens opens : descriptor.opens()) {
            if (!opens.isQualified() && !isApi(opens.source(), expectedName)) {
                violations.add(name + " opens " + opens.source()
                        + " to every module; only API packages may be opened unqualified");
            }
            for (String target : opens.targets()) {
                if (!target.startsWith(PHYXIUS_PREFIX)) {
                    violations.add(name + " opens " + opens.source() + " to " + target
                            + "; qualified opens may target only Phyxius modules");
                }
            }
        }
        if (PhyxiusArchitecture.CORE_MODULES.contains(module)) {
            for (ModuleDescriptor.Requires requires : descriptor.requires()) {
                if (!requires.name().equals("java.base") && !requires.name().startsWith(PHYXIUS_PREFIX)) {
                    violations.add(name + " requires " + requires
                            + "; core modules may require only java.base and Phyxius modules");
                }
            }
        }
        return violations;
    }

    /** An API package: the module's namespace, less anything with an internal or spi segment. */
    private static boolean isApi(String pkg, String namespace) {
        if (!isInOrBelow(pkg, namespace)) {
            return false;
        }
        List<String> segments = List.of(pkg.split("\\."));
        return !segments.contains("internal") && !segments.contains("spi");
    }

    private static boolean isInOrBelow(String pkg, String parent) {
        return pkg.equals(parent) || pkg.startsWith(parent + ".");
    }
}
