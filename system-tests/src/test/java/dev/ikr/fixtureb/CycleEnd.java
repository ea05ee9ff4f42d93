package dev.ikr.fixtureb;

import dev.ikr.fixturea.CycleStart;

/** The other half of a package cycle on purpose (see {@link CycleStart}). */
public final class CycleEnd {

    public CycleStart back() {
        return new CycleStart();
    }
}
