package dev.ikr.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * How the destructor answers an old key used after its replacement was delivered: its step comes {@code postponeBy}
 * later, at most {@code maxPostponements} times per step (0: never, the owner is only told), then {@code policy}.
 */
public record InUseGuard(Duration postponeBy, int maxPostponements, InUsePolicy policy) {

    /** IKR's defaults: 3 days later, twice, then go ahead. */
    public static final InUseGuard DEFAULT = new InUseGuard(Duration.ofDays(3), 2, InUsePolicy.PROCEED);

    public InUseGuard {
        Objects.requireNonNull(postponeBy, "postponeBy");
        Objects.requireNonNull(policy, "policy");
        if (postponeBy.isNegative() || postponeBy.isZero() || maxPostponements < 0) {
            throw new IllegalArgumentException("a postponement needs a positive delay and a count of at least 0");
        }
    }
}
