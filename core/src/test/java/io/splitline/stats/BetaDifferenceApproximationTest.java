package io.splitline.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * The closed form that replaces the Beta quadrature on large arms stays within its stated bound — 1e-6 on
 * the probability to beat control, 1e-6·sd on the expected loss — of scipy's values
 * ({@code stats/beta_approximation_reference.py}, output {@code stats/beta-approximation.json}) and of the
 * quadrature it replaces, on the same grid; and it is used only past its gate.
 */
class BetaDifferenceApproximationTest {
    private static final double TOLERANCE = BetaDifferenceApproximation.TOLERANCE;
    private static final List<JsonNode> GRID = new ArrayList<>();

    @BeforeAll
    static void readGrid() throws IOException {
        try (InputStream in = BetaDifferenceApproximationTest.class.getResourceAsStream("/stats/beta-approximation.json")) {
            assertNotNull(in, "stats/beta-approximation.json is on the test classpath");
            Json.MAPPER.readTree(in).get("cases").forEach(GRID::add);
        }
        assertTrue(GRID.size() >= 200, "the grid holds the cases, got " + GRID.size());
    }

    @Test
    void proportions_onLargeArms_agreeWithScipyWithinTheBound() {
        double worstP = 0;
        double worstLoss = 0;
        for (JsonNode c : GRID) {
            ProportionSample control = sample(c.get("control"));
            ProportionSample treatment = sample(c.get("treatment"));
            assertTrue(gatePasses(control, treatment), "every grid case is past the gate: " + c);
            BayesianComparison.Result r = BayesianComparison.proportions(control, treatment, direction(c));
            double sd = c.get("sd").doubleValue();
            double errorP = Math.abs(r.probabilityToBeatControl() - c.get("probabilityToBeatControl").doubleValue());
            double errorLoss = Math.abs(r.expectedLoss() - c.get("expectedLoss").doubleValue()) / sd;
            assertTrue(errorP <= TOLERANCE, "probability off by " + errorP + " in " + c);
            assertTrue(errorLoss <= TOLERANCE, "loss off by " + errorLoss + " sd in " + c);
            worstP = Math.max(worstP, errorP);
            worstLoss = Math.max(worstLoss, errorLoss);
        }
        System.out.printf("closed form vs scipy, %d cases: worst probability error %.2e, worst loss error %.2e sd%n",
                GRID.size(), worstP, worstLoss);
    }

    @Test
    void closedForm_onLargeArms_agreesWithTheQuadratureWithinTheBound() {
        for (JsonNode c : GRID) {
            BayesianComparison.BetaPosterior control = BayesianComparison.BetaPosterior.of(sample(c.get("control")));
            BayesianComparison.BetaPosterior treatment = BayesianComparison.BetaPosterior.of(sample(c.get("treatment")));
            BetaDifferenceApproximation.Comparison closed =
                    BetaDifferenceApproximation.compare(treatment.a, treatment.b, control.a, control.b);
            double quadratureP = BayesianComparison.probabilityGreater(treatment, control);
            double quadratureLoss = BayesianComparison.expectedShortfall(control, treatment);
            assertEquals(quadratureP, closed.probabilityGreater(), TOLERANCE, "P(T > C) in " + c);
            assertEquals(quadratureLoss, closed.expectedShortfall(), TOLERANCE * closed.sd(), "E[(C − T)⁺] in " + c);
        }
    }

    @Test
    void belowTheGate_theQuadratureAnswers_becauseTheClosedFormWouldMissTheBound() {
        // 100 of 10 000 against 55 of 5 000: shapes of ~50, skewed arms of unequal size.
        ProportionSample control = new ProportionSample(10_000, 100);
        ProportionSample treatment = new ProportionSample(5_000, 55);
        assertFalse(gatePasses(control, treatment));
        BayesianComparison.BetaPosterior c = BayesianComparison.BetaPosterior.of(control);
        BayesianComparison.BetaPosterior t = BayesianComparison.BetaPosterior.of(treatment);
        double quadrature = BayesianComparison.probabilityGreater(t, c);
        assertEquals(quadrature, BayesianComparison.proportions(control, treatment, Direction.INCREASE).probabilityToBeatControl(), 0.0);
        double closed = BetaDifferenceApproximation.compare(t.a, t.b, c.a, c.b).probabilityGreater();
        assertTrue(Math.abs(closed - quadrature) > TOLERANCE,
                "the gate is needed: here the closed form is off by " + Math.abs(closed - quadrature));
    }

    private static boolean gatePasses(ProportionSample control, ProportionSample treatment) {
        BayesianComparison.BetaPosterior c = BayesianComparison.BetaPosterior.of(control);
        BayesianComparison.BetaPosterior t = BayesianComparison.BetaPosterior.of(treatment);
        return BetaDifferenceApproximation.applies(c.a, c.b, t.a, t.b);
    }

    private static ProportionSample sample(JsonNode arm) {
        return new ProportionSample(arm.get("units").longValue(), arm.get("conversions").longValue());
    }

    private static Direction direction(JsonNode c) {
        return "decrease".equals(c.get("direction").textValue()) ? Direction.DECREASE : Direction.INCREASE;
    }
}
