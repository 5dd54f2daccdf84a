package dev.tether.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.tether.session.TetherException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become HTTP responses: every error leaves as {@code application/problem+json} with
 * a stable type, never with a class name or a stack trace.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response tether(TetherException e, UriInfo uri) {
        if (e.status() >= 500) {
            LOG.warnf(e, "request %s failed: %s", uri.getPath(), e.getMessage());
        }
        return respond(Problem.of(e.problemType(), e.status(), e.getMessage(), uri.getPath()));
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e, UriInfo uri) {
        String detail = "Malformed JSON body";
        if (e instanceof InvalidFormatException ife && !ife.getPath().isEmpty()) {
            detail = "Invalid value for field '" + ife.getPath().get(ife.getPath().size() - 1).getFieldName() + "'";
        } else if (e instanceof MismatchedInputException mie && !mie.getPath().isEmpty()) {
            detail = "Invalid type for field '" + mie.getPath().get(mie.getPath().size() - 1).getFieldName() + "'";
        }
        return respond(Problem.of("invalid-request", 400, detail, uri.getPath()));
    }

    /**
     * Declared separately because quarkus-rest-jackson ships its own mapper for this exact type (a plain JSON body
     * naming Java classes), which would otherwise win over {@link #badJson}.
     */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return badJson(e, uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String slug = switch (status) {
            case 400 -> "invalid-request";
            case 401 -> "unauthorized";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 415 -> "unsupported-media-type";
            default -> "http-" + status;
        };
        String detail = status == 400 && e.getCause() != null ? "Malformed request body" : e.getMessage();
        return respond(Problem.of(slug, status, detail, uri.getPath()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.errorf(e, "unexpected failure of %s", uri.getPath());
        return respond(Problem.of("internal-error", 500, "Internal error; see the service log", uri.getPath()));
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
