package archfixture.clock;

/** Reads the system clock itself, for the test that the clock rule catches it. */
public final class ReadsTheClock {
    private ReadsTheClock() {
    }

    public static long elapsedSince(long start) {
        return System.nanoTime() - start;
    }
}
