package dev.tether.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * Skips a test class, loudly, before its application starts when no PostgreSQL server is reachable; under
 * {@code CI=true} the class runs anyway and fails ({@link PostgresSchema#requireServer()}).
 */
public class RequiresPostgres implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        try {
            PostgresSchema.requireServer();
            return ConditionEvaluationResult.enabled("PostgreSQL is reachable");
        } catch (TestAbortedException e) {
            return ConditionEvaluationResult.disabled(e.getMessage());
        }
    }
}
