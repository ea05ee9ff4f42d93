package dev.ikr.testing;

import dev.ikr.domain.DeliveryException;
import dev.ikr.domain.DeliveryTarget;
import dev.ikr.domain.KeyHandover;
import dev.ikr.port.KeyTargets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Delivery targets in memory: what each target last received; a target can refuse. */
public final class InMemoryKeyTargets implements KeyTargets {

    private final List<String> journal;
    private final Map<String, KeyHandover> received = new ConcurrentHashMap<>();
    private final List<String> refusing = new ArrayList<>();

    public InMemoryKeyTargets(List<String> journal) {
        this.journal = journal;
    }

    /** {@code label} ({@code KIND:NAME}) refuses every delivery from now on. */
    public synchronized void refuse(String label) {
        refusing.add(label);
    }

    /** What {@code label} holds: the last key handed to it. */
    public KeyHandover holding(String label) {
        KeyHandover handover = received.get(label);
        if (handover == null) {
            throw new AssertionError("nothing was delivered to " + label + "; delivered: " + received.keySet());
        }
        return handover;
    }

    public Map<String, KeyHandover> received() {
        return Map.copyOf(received);
    }

    @Override
    public synchronized void deliver(DeliveryTarget target, KeyHandover handover) {
        if (refusing.contains(target.label())) {
            throw DeliveryException.notWritten(target.label() + " refused the key (test)", null);
        }
        received.put(target.label(), handover);
        journal.add("deliver " + handover.user() + " " + target.label());
    }
}
