package dev.ikr.domain;

import dev.ikr.aws.AwsClients;

/** A domain class that reaches an adapter on purpose: {@code ArchitectureTest} proves its rule catches it. */
public final class DomainLeakFixture {

    public AwsClients leak() {
        return new AwsClients();
    }
}
