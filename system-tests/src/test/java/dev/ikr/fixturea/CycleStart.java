package dev.ikr.fixturea;

import dev.ikr.fixtureb.CycleEnd;

/** A package cycle on purpose (with {@link CycleEnd}): {@code ArchitectureTest} proves its rule catches it. */
public final class CycleStart {

    public CycleEnd next() {
        return new CycleEnd();
    }
}
