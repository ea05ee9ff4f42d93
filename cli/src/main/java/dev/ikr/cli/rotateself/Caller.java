package dev.ikr.cli.rotateself;

/**
 * Who signed a call, as STS {@code GetCallerIdentity} names it: an IAM user, the only kind of principal that has
 * access keys of its own, or another principal that {@code rotate-self} refuses.
 */
public sealed interface Caller {

    String arn();

    /** An IAM user: {@code arn:<partition>:iam::<account>:user/<path/>name}. */
    record IamUser(String arn, String account, String name) implements Caller {
    }

    /** Root, a role, an assumed role, a federated user or anything else: {@code what} says which, for a message. */
    record NotAUser(String arn, String what) implements Caller {
    }

    /** Reads a caller ARN; never throws: an ARN it cannot read is {@link NotAUser}. */
    static Caller fromArn(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn")) {
            return new NotAUser(arn, "something that is not an ARN");
        }
        String service = parts[2];
        String account = parts[4];
        String resource = parts[5];
        if (service.equals("iam") && resource.startsWith("user/")) {
            String name = resource.substring(resource.lastIndexOf('/') + 1);
            return name.isEmpty() ? new NotAUser(arn, "an IAM user ARN without a name")
                    : new IamUser(arn, account, name);
        }
        if (service.equals("iam") && resource.equals("root")) {
            return new NotAUser(arn, "the account's root user (delete root access keys rather than rotate them)");
        }
        if (service.equals("sts") && resource.startsWith("assumed-role/")) {
            return new NotAUser(arn, "an assumed role (temporary credentials)");
        }
        if (service.equals("iam") && resource.startsWith("role/")) {
            return new NotAUser(arn, "a role");
        }
        if (service.equals("sts") && resource.startsWith("federated-user/")) {
            return new NotAUser(arn, "a federated user (temporary credentials)");
        }
        return new NotAUser(arn, "a principal other than an IAM user");
    }
}
