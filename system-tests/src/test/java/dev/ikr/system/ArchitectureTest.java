package dev.ikr.system;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.ikr.domain.DomainLeakFixture;
import dev.ikr.fixturea.CycleStart;
import dev.ikr.fixtureb.CycleEnd;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule of the production code (README, "Architecture"): domain ← ports ← use cases; pure helpers
 * beside them; adapters implement ports and are never imported by the core; the metrics read the use cases' results
 * and only the function modules and the CLI write them; the function modules and the CLI wire it together; no
 * package cycle. A violation fails the build with the rule's name and every offending dependency.
 */
class ArchitectureTest {

    private static final String[] JAVA = {"java.."};

    static final ArchRule DOMAIN_DEPENDS_ON_NOTHING_OF_OURS = classes().that().resideInAPackage("dev.ikr.domain..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.ikr.domain..", "java..")
            .as("domain depends on nothing of ours")
            .because("values and decisions must not change when an adapter, a library or the wiring does");

    static final ArchRule PORTS_DEPEND_ON_THE_DOMAIN = classes().that().resideInAPackage("dev.ikr.port..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.ikr.port..", "dev.ikr.domain..", "java..")
            .as("ports depend on the domain only")
            .because("a port speaks the core's language, never an SDK's");

    static final ArchRule HELPERS_ARE_PURE = classes().that().resideInAnyPackage("dev.ikr.crypto..",
                    "dev.ikr.message..", "dev.ikr.util..", "dev.ikr.log..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.ikr.crypto..", "dev.ikr.message..",
                    "dev.ikr.util..", "dev.ikr.log..", "dev.ikr.domain..", "java..", "javax.crypto..",
                    "com.fasterxml.jackson..")
            .as("pure helpers (crypto, message, util, log) depend on the domain and each other only")
            .because("the use cases may use them, so they must not reach an adapter");

    static final ArchRule USE_CASES_DEPEND_ON_PORTS_NOT_ADAPTERS = classes().that()
            .resideInAPackage("dev.ikr.rotation..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.ikr.rotation..", "dev.ikr.domain..",
                    "dev.ikr.port..", "dev.ikr.crypto..", "dev.ikr.message..", "dev.ikr.util..", "dev.ikr.log..",
                    "java..")
            .as("use cases depend on the domain, the ports and the pure helpers only")
            .because("a use case reaches AWS, mail and configuration through ports, so it is tested with in-memory"
                    + " fakes and a new adapter never changes it");

    static final ArchRule CONFIG_DEPENDS_ON_THE_DOMAIN = classes().that().resideInAPackage("dev.ikr.config..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.ikr.config..", "dev.ikr.domain..", "java..")
            .as("configuration depends on the domain only")
            .because("it is read once at cold start, before any client exists");

    static final ArchRule METRICS_READ_THE_USE_CASES_RESULTS = classes().that().resideInAPackage("dev.ikr.metrics..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.ikr.metrics..", "dev.ikr.rotation..",
                    "dev.ikr.domain..", "java..", "com.fasterxml.jackson..", "com.amazonaws.services.lambda.runtime..")
            .as("metrics depend on the use cases' results, the domain, Jackson and the Lambda context only")
            .because("they turn a run's outcome into names and numbers, and must never reach an adapter or a secret");

    static final ArchRule ONLY_THE_FUNCTIONS_AND_THE_CLI_WRITE_METRICS = noClasses().that()
            .resideOutsideOfPackages("dev.ikr.metrics..", "dev.ikr.rotator..", "dev.ikr.destructor..", "dev.ikr.cli..")
            .should().dependOnClassesThat().resideInAPackage("dev.ikr.metrics..")
            .as("only the function modules and the CLI write metrics")
            .because("the core reports outcomes; where they are written is the invocation's concern");

    static final ArchRule ADAPTERS_NEVER_REACH_THE_USE_CASES = noClasses().that()
            .resideInAnyPackage("dev.ikr.aws..", "dev.ikr.mail..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.ikr.rotation..", "dev.ikr.wiring..",
                    "dev.ikr.rotator..", "dev.ikr.destructor..", "dev.ikr.cli..", "dev.ikr.local..")
            .as("adapters implement ports and never reach the use cases or the wiring")
            .because("the dependency points inwards: wiring → adapters → ports ← use cases");

    static final ArchRule ONLY_THE_FUNCTIONS_AND_THE_CLI_WIRE = noClasses().that()
            .resideOutsideOfPackages("dev.ikr.wiring..", "dev.ikr.rotator..", "dev.ikr.destructor..", "dev.ikr.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.ikr.wiring..", "dev.ikr.rotator..",
                    "dev.ikr.destructor..", "dev.ikr.cli..")
            .as("only the function modules and the CLI wire the parts together")
            .because("shared is a library: it never knows which function or command uses it");

    static final ArchRule DEVELOPMENT_HELPERS_STAY_IN_THE_CLI = noClasses().that()
            .resideOutsideOfPackages("dev.ikr.cli..", "dev.ikr.local..")
            .should().dependOnClassesThat().resideInAPackage("dev.ikr.local..")
            .as("the development helpers (local Lambda context, moto launcher) are used by the CLI only")
            .because("a Lambda jar must not hold development code");

    static final ArchRule THE_FUNCTIONS_ARE_INDEPENDENT = noClasses().that().resideInAPackage("dev.ikr.rotator..")
            .should().dependOnClassesThat().resideInAPackage("dev.ikr.destructor..")
            .orShould().dependOnClassesThat().resideInAPackage("dev.ikr.cli..")
            .as("the rotator function knows neither the destructor nor the CLI");

    static final ArchRule THE_DESTRUCTOR_IS_INDEPENDENT = noClasses().that().resideInAPackage("dev.ikr.destructor..")
            .should().dependOnClassesThat().resideInAPackage("dev.ikr.rotator..")
            .orShould().dependOnClassesThat().resideInAPackage("dev.ikr.cli..")
            .as("the destructor function knows neither the rotator nor the CLI");

    static final ArchRule THE_SELF_ROTATION_CORE_IS_PURE = classes().that()
            .resideInAPackage("dev.ikr.cli.rotateself..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.ikr.cli.rotateself..", "dev.ikr.domain..",
                    "dev.ikr.log..", "java..")
            .as("the rotate-self use case depends on the domain, its own ports and the log only")
            .because("it is unit-tested with in-memory fakes; IAM, STS, Secrets Manager, SSM and the credentials"
                    + " file are adapters beside the command in dev.ikr.cli");

    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("dev.ikr.(*)..").should().beFreeOfCycles()
            .as("no package cycles")
            .because("a cycle ties packages together so that neither can change or be tested alone");

    static final List<ArchRule> RULES = List.of(DOMAIN_DEPENDS_ON_NOTHING_OF_OURS, PORTS_DEPEND_ON_THE_DOMAIN,
            HELPERS_ARE_PURE, USE_CASES_DEPEND_ON_PORTS_NOT_ADAPTERS, CONFIG_DEPENDS_ON_THE_DOMAIN,
            METRICS_READ_THE_USE_CASES_RESULTS, ONLY_THE_FUNCTIONS_AND_THE_CLI_WRITE_METRICS,
            ADAPTERS_NEVER_REACH_THE_USE_CASES, ONLY_THE_FUNCTIONS_AND_THE_CLI_WIRE,
            DEVELOPMENT_HELPERS_STAY_IN_THE_CLI, THE_FUNCTIONS_ARE_INDEPENDENT, THE_DESTRUCTOR_IS_INDEPENDENT,
            THE_SELF_ROTATION_CORE_IS_PURE, NO_PACKAGE_CYCLES);

    /** The modules whose main classes are checked; each module's {@code target/classes}, built before this one. */
    static final List<String> MODULES = List.of("local-support", "shared", "rotator-function", "destructor-function",
            "cli");

    /** Every production class of every module; no test class. */
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPaths(MODULES.stream().map(module -> Path.of("..", module, "target", "classes")).toList());

    @Test
    void theProductionCodeKeepsEveryRule() {
        assertThat(PRODUCTION.stream().map(type -> type.getPackageName()).distinct())
                .as("the import sees every module")
                .contains("dev.ikr.domain", "dev.ikr.port", "dev.ikr.rotation", "dev.ikr.aws", "dev.ikr.mail",
                        "dev.ikr.wiring", "dev.ikr.rotator", "dev.ikr.destructor", "dev.ikr.cli",
                        "dev.ikr.cli.rotateself", "dev.ikr.local", "dev.ikr.metrics")
                .doesNotContain("dev.ikr.testing", "dev.ikr.testbed", "dev.ikr.system", "dev.ikr.fixturea");
        for (ArchRule rule : RULES) {
            rule.check(PRODUCTION);
        }
    }

    @Test
    void aPackageCycle_failsTheBuild_namingTheRule() {
        JavaClasses cycle = new ClassFileImporter().importClasses(CycleStart.class, CycleEnd.class);

        assertThatThrownBy(() -> NO_PACKAGE_CYCLES.check(cycle))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no package cycles")
                .hasMessageContaining("fixturea").hasMessageContaining("fixtureb");
    }

    @Test
    void aDomainClassReachingAnAdapter_failsTheBuild_namingTheRule() {
        JavaClasses leak = new ClassFileImporter().importClasses(DomainLeakFixture.class);

        assertThatThrownBy(() -> DOMAIN_DEPENDS_ON_NOTHING_OF_OURS.check(leak))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("domain depends on nothing of ours")
                .hasMessageContaining("dev.ikr.aws.AwsClients");
    }
}
