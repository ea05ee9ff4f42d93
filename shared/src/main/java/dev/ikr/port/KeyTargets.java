package dev.ikr.port;

import dev.ikr.domain.DeliveryException;
import dev.ikr.domain.DeliveryTarget;
import dev.ikr.domain.KeyHandover;

/** The places a new key can be delivered to instead of its owner's mail ({@code IKR:DELIVER_TO}). */
public interface KeyTargets {

    /** For a rotator that delivers by mail only: every target is refused. */
    KeyTargets NONE = (target, handover) -> {
        throw DeliveryException.notWritten("this rotator delivers keys by mail only, not to " + target.label(), null);
    };

    /**
     * Hands the new key to {@code target} and returns once the target surely holds it.
     *
     * @throws DeliveryException when it does not, or may not
     */
    void deliver(DeliveryTarget target, KeyHandover handover);
}
