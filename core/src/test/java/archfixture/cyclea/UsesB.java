package archfixture.cyclea;

import archfixture.cycleb.UsesA;

/** Half of a deliberate package cycle that {@code ArchitectureTest} must reject. */
public final class UsesB {
    UsesA other;
}
