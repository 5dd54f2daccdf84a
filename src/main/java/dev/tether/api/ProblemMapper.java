package dev.tether.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.tether.session.TetherException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.util.List;
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
            detail = "Invalid value for field '" + fieldPath(ife.getPath()) + "'";
        } else if (e instanceof MismatchedInputException mie && !mie.getPath().isEmpty()) {
            detail = "Invalid type for field '" + fieldPath(mie.getPath()) + "'";
        }
        return respond(Problem.of("invalid-request", 400, detail, uri.getPath()));
    }

    /** {@code images[0].data_url}: where in the body the offending value sits. */
    private static String fieldPath(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
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
        if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
            return badJson(json, uri); // the JSON reader wraps some parse errors (e.g. trailing garbage)
        }
        String detail = status == 400 && e.getCause() != null ? "Malformed request body" : e.getMessage();
        return respond(Problem.ofStatus(status, detail, uri.getPath()));
    }

    /** A client that disconnected mid-request is not a failure of the service (see {@link Disconnects}). */
    @ServerExceptionMapper
    public Response io(IOException e, UriInfo uri) {
        return Disconnects.isDisconnect(e) ? disconnected(e, uri) : unexpected(e, uri);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        if (Disconnects.isDisconnect(e)) {
            return disconnected(e, uri);
        }
        LOG.errorf(e, "unexpected failure of %s", uri.getPath());
        return respond(Problem.of("internal-error", 500, "Internal error; see the service log", uri.getPath()));
    }

    private static Response disconnected(Exception e, UriInfo uri) {
        LOG.debugf("client went away during %s: %s", uri.getPath(), e);
        // nobody reads this answer; it only keeps the request out of the 5xx figures
        return respond(Problem.ofStatus(400, "The client closed the connection", uri.getPath()));
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
