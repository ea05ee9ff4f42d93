package dev.ikr.port;

import java.util.List;

/** The accounts of the AWS Organization the deployment belongs to. */
public interface OrganizationDirectory {

    /** Every {@code ACTIVE} account of the organization (not suspended, not being closed), in the order listed. */
    List<String> activeAccounts();

    /**
     * The {@code ACTIVE} accounts under these organizational units and, recursively, their child units; each account
     * once.
     */
    List<String> activeAccountsUnder(List<String> organizationalUnits);
}
