package archfixture.cycleb;

import archfixture.cyclea.UsesB;

/** The other half of the deliberate package cycle that {@code ArchitectureTest} must reject. */
public final class UsesA {
    UsesB other;
}
