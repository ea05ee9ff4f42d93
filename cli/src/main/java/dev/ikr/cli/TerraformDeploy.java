package dev.ikr.cli;

import dev.ikr.aws.AwsClients;
import java.io.PrintStream;

/** Deploys the Terraform module's complete example into the local moto, for the demo. */
final class TerraformDeploy {

    private TerraformDeploy() {
    }

    /** Whether terraform and the module are here (the demo falls back to the SDK otherwise). */
    static boolean available() {
        return false;
    }

    static void applyExample(AwsClients clients, PrintStream out) {
        throw new IllegalStateException("the Terraform module is not in this checkout");
    }
}
