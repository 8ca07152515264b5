package io.splitline.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.experiment.Direction;
import io.splitline.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Beta comparison below the closed form's gate stays within its stated bound — 1e-9 on the probability
 * to beat control, 1e-9·sd on the expected loss (1e-10 absolute where that is larger) — of scipy's values ({@code stats/beta_pair_reference.py},
 * output {@code stats/beta-pair.json}: arms from 0 to 10⁸ units, every grid case below the gate).
 */
class BetaPairIntegralsTest {
    private static final double TOLERANCE = BetaPairIntegrals.TOLERANCE;
    private static final List<JsonNode> GRID = new ArrayList<>();

    @BeforeAll
    static void readGrid() throws IOException {
        try (InputStream in = BetaPairIntegralsTest.class.getResourceAsStream("/stats/beta-pair.json")) {
            assertNotNull(in, "stats/beta-pair.json is on the test classpath");
            Json.MAPPER.readTree(in).get("cases").forEach(GRID::add);
        }
        assertTrue(GRID.size() >= 500, "the grid holds the cases, got " + GRID.size());
    }

    @Test
    void proportions_belowTheGate_agreeWithScipyWithinTheBound() {
        double worstP = 0;
        double worstLoss = 0;
        for (JsonNode c : GRID) {
            ProportionSample control = sample(c.get("control"));
            ProportionSample treatment = sample(c.get("treatment"));
            BayesianComparison.BetaPosterior pc = BayesianComparison.BetaPosterior.of(control);
            BayesianComparison.BetaPosterior pt = BayesianComparison.BetaPosterior.of(treatment);
            assertTrue(!BetaDifferenceApproximation.applies(pc.a, pc.b, pt.a, pt.b), "every grid case is below the gate: " + c);
            Direction direction = "decrease".equals(c.get("direction").textValue()) ? Direction.DECREASE : Direction.INCREASE;
            BayesianComparison.Result r = BayesianComparison.proportions(control, treatment, direction);
            double sd = c.get("sd").doubleValue();
            double errorP = Math.abs(r.probabilityToBeatControl() - c.get("probabilityToBeatControl").doubleValue());
            double errorLoss = Math.abs(r.expectedLoss() - c.get("expectedLoss").doubleValue())
                    / Math.max(sd, BetaPairIntegrals.LOSS_FLOOR / TOLERANCE);
            assertTrue(errorP <= TOLERANCE, "probability off by " + errorP + " in " + c);
            assertTrue(errorLoss <= TOLERANCE, "loss off by " + errorLoss + " sd in " + c);
            worstP = Math.max(worstP, errorP);
            worstLoss = Math.max(worstLoss, errorLoss);
        }
        System.out.printf("Beta pair integrals vs scipy, %d cases: worst probability error %.2e, worst loss error %.2e sd (or of the floor)%n",
                GRID.size(), worstP, worstLoss);
    }

    @Test
    void equalArms_atTheEdgeOfDoublePrecision_areEven() {
        // Arms of 10⁸ units all converting: posteriors 10⁻⁸ wide next to 1, where scipy's own P(T > C) is 0.5 + 2.6e-11.
        ProportionSample arm = new ProportionSample(100_000_000, 100_000_000);
        assertEquals(0.5, BayesianComparison.proportions(arm, arm, Direction.INCREASE).probabilityToBeatControl(), 1e-12);
    }

    @Test
    void weights_integratePolynomialsUpToTheDegreeExactly() {
        double[] w = BetaPairIntegrals.weights();
        for (int power = 0; power <= BetaPairIntegrals.DEGREE; power++) {
            double sum = 0;
            for (int j = 0; j <= BetaPairIntegrals.DEGREE; j++) {
                double x = -Math.cos(j * Math.PI / BetaPairIntegrals.DEGREE);
                sum += w[j] * Math.pow(x, power);
            }
            double exact = power % 2 == 0 ? 2.0 / (power + 1) : 0.0;
            assertEquals(exact, sum, 1e-13, "∫ x^" + power + " over [−1, 1]");
        }
    }

    @Test
    void theThreeIntegrals_holdTheirIdentities() {
        // E[(X − Y)⁺] − E[(Y − X)⁺] = E[X] − E[Y], and P(X > Y) + P(Y > X) = 1, on arms of every kind.
        long[][] arms = {{10, 3, 12, 5}, {1_250, 920, 1_300, 980}, {100_000_000, 200, 3_000, 0}, {0, 0, 40, 40}};
        for (long[] a : arms) {
            BayesianComparison.BetaPosterior x = BayesianComparison.BetaPosterior.of(new ProportionSample(a[0], a[1]));
            BayesianComparison.BetaPosterior y = BayesianComparison.BetaPosterior.of(new ProportionSample(a[2], a[3]));
            BetaPairIntegrals.Integrals xy = BetaPairIntegrals.of(x, y);
            BetaPairIntegrals.Integrals yx = BetaPairIntegrals.of(y, x);
            assertEquals(1.0, xy.xAbove() + yx.xAbove(), 1e-9, "P(X > Y) + P(Y > X) for " + java.util.Arrays.toString(a));
            assertEquals(x.mean - y.mean, xy.xShortfall() - xy.yShortfall(), 1e-9, "E[X] − E[Y] for " + java.util.Arrays.toString(a));
            assertEquals(xy.xShortfall(), yx.yShortfall(), 1e-12, "the same loss either way round");
        }
    }

    private static ProportionSample sample(JsonNode arm) {
        return new ProportionSample(arm.get("units").longValue(), arm.get("conversions").longValue());
    }
}
