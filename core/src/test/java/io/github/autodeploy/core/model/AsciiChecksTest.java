package io.github.autodeploy.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The character checks accept exactly what the regular expressions they replaced accepted: every string of up
 * to four characters over an alphabet of the interesting ones, and many longer random ones around the limits.
 */
class AsciiChecksTest {
    private static final Pattern HEX40 = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern DELIVERY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])|_){0,38}(?:\\[bot\\])?");
    private static final Pattern OWNER = Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9._-]{1,100}");
    private static final String ALPHABET = "aZf0g9-_.:[]bot/ é\u0130\n";

    @Test
    void everyShortStringIsJudgedAsByTheRegularExpressions() {
        List<String> strings = new ArrayList<>(List.of(""));
        List<String> last = List.of("");
        for (int length = 1; length <= 4; length++) {
            List<String> next = new ArrayList<>();
            for (String s : last) {
                for (char c : ALPHABET.toCharArray()) {
                    next.add(s + c);
                }
            }
            strings.addAll(next);
            last = next;
        }
        strings.forEach(AsciiChecksTest::judgedAlike);
    }

    @Test
    void longStringsAroundTheLimitsAreJudgedAsByTheRegularExpressions() {
        SplittableRandom random = new SplittableRandom(18);
        String[] alphabets = {"abcdef0123456789", "aZ9", "aZ9-", "aZ9-_", "az9-", "az9._-", "aZ9-_[]bot"};
        for (int i = 0; i < 50_000; i++) {
            String alphabet = alphabets[random.nextInt(alphabets.length)];
            int length = random.nextInt(36, 46) + (random.nextInt(4) == 0 ? random.nextInt(60, 100) : 0);
            StringBuilder s = new StringBuilder();
            for (int j = 0; j < length; j++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (random.nextInt(3) == 0) {
                s.append("[bot]");
            }
            judgedAlike(s.toString());
            judgedAlike(s.substring(0, Math.min(s.length(), random.nextInt(1, 45))));
        }
    }

    private static void judgedAlike(String s) {
        assertThat(AsciiChecks.isLowerHex40(s)).as("sha %s", s).isEqualTo(HEX40.matcher(s).matches());
        assertThat(AsciiChecks.isDeliveryId(s)).as("delivery %s", s).isEqualTo(DELIVERY.matcher(s).matches());
        assertThat(AsciiChecks.isLogin(s, false, true)).as("login %s", s).isEqualTo(LOGIN.matcher(s).matches());
        assertThat(AsciiChecks.isLogin(s, true, false)).as("owner %s", s).isEqualTo(OWNER.matcher(s).matches());
        assertThat(AsciiChecks.isRepositoryName(s)).as("name %s", s).isEqualTo(NAME.matcher(s).matches());
    }
}
