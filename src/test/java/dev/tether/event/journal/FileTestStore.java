package dev.tether.event.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.SessionBusyException;
import dev.tether.session.SessionIds;
import dev.tether.session.SessionMetadata;
import dev.tether.session.SessionNotFoundException;
import dev.tether.session.SessionSummary;
import dev.tether.session.StoreException;
import dev.tether.session.ToolUse;
import dev.tether.session.Usage;
import dev.tether.session.store.ListQuery;
import dev.tether.session.store.SessionPage;
import dev.tether.session.store.SessionStore;
import dev.tether.session.store.SessionTail;
import dev.tether.session.store.SessionWriter;
import dev.tether.session.store.StoredEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny file-backed store for the event tests, standing in for the real one (branch {@code store}): sessions are
 * {@code sessions/<id>.json}, durable events are appended to {@code sessions/<id>.journal.jsonl} as
 * {@code {seq, at, kind:"event", event}} and fsynced. Only what events need is implemented: create, exists, the
 * writer's {@code appendEvent}/{@code lastSeq}, and {@code eventsAfter}. A torn last line is skipped.
 */
public class FileTestStore implements SessionStore {

    private final Path dir;
    private final ObjectMapper mapper;
    private final Set<String> writers = ConcurrentHashMap.newKeySet();

    public FileTestStore(Path dataDir, ObjectMapper mapper) {
        this.dir = dataDir.resolve("sessions");
        this.mapper = mapper;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("cannot create " + dir, e);
        }
    }

    @Override
    public void create(Session session) {
        Path file = dir.resolve(SessionIds.require(session.id()) + ".json");
        try {
            Files.write(file, mapper.writeValueAsBytes(session), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new SessionBusyException(session.id());
        } catch (IOException e) {
            throw new StoreException("cannot create session", e);
        }
    }

    @Override
    public Session load(String id) {
        try {
            return mapper.readValue(dir.resolve(SessionIds.require(id) + ".json").toFile(), Session.class);
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            throw new SessionNotFoundException(id);
        } catch (IOException e) {
            throw new StoreException("cannot read session", e);
        }
    }

    @Override
    public boolean exists(String id) {
        return Files.exists(dir.resolve(SessionIds.require(id) + ".json"));
    }

    @Override
    public SessionWriter openWriter(String id) {
        if (!exists(id)) {
            throw new SessionNotFoundException(id);
        }
        if (!writers.add(id)) {
            throw new SessionBusyException(id);
        }
        return new Writer(id);
    }

    @Override
    public List<StoredEvent> eventsAfter(String id, long afterSeq) {
        if (!exists(id)) {
            throw new SessionNotFoundException(id);
        }
        List<StoredEvent> events = new ArrayList<>();
        for (JsonNode record : records(id)) {
            long seq = record.get("seq").asLong();
            if (seq > afterSeq && "event".equals(record.path("kind").asText())) {
                events.add(new StoredEvent(seq, Instant.parse(record.get("at").asText()), record.get("event")));
            }
        }
        return events;
    }

    private List<JsonNode> records(String id) {
        Path journal = journal(id);
        List<JsonNode> records = new ArrayList<>();
        if (!Files.exists(journal)) {
            return records;
        }
        try {
            for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                try {
                    records.add(mapper.readTree(line));
                } catch (IOException torn) {
                    // a torn last line (crash mid-write) is dropped
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot read journal", e);
        }
        return records;
    }

    private Path journal(String id) {
        return dir.resolve(id + ".journal.jsonl");
    }

    @Override
    public void save(Session session) {
        throw new UnsupportedOperationException("not needed by the event tests");
    }

    @Override
    public SessionTail loadTail(String id, int n) {
        throw new UnsupportedOperationException("not needed by the event tests");
    }

    @Override
    public void delete(String id) {
        throw new UnsupportedOperationException("not needed by the event tests");
    }

    @Override
    public SessionPage list(ListQuery query) {
        throw new UnsupportedOperationException("not needed by the event tests");
    }

    @Override
    public List<SessionSummary> listAll() {
        throw new UnsupportedOperationException("not needed by the event tests");
    }

    @Override
    public int count() {
        throw new UnsupportedOperationException("not needed by the event tests");
    }

    private final class Writer implements SessionWriter {
        private final String id;
        private final FileChannel channel;
        private long lastSeq;

        Writer(String id) {
            this.id = id;
            List<JsonNode> existing = records(id);
            this.lastSeq = existing.isEmpty() ? 0 : existing.get(existing.size() - 1).get("seq").asLong();
            try {
                this.channel = FileChannel.open(journal(id), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                writers.remove(id);
                throw new StoreException("cannot open journal", e);
            }
        }

        @Override
        public synchronized long appendEvent(JsonNode event) {
            long seq = lastSeq + 1;
            ObjectNode record = mapper.createObjectNode();
            record.put("seq", seq).put("at", Instant.now().toString()).put("kind", "event").set("event", event);
            try {
                byte[] line = (mapper.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
                channel.force(false);
            } catch (IOException e) {
                throw new StoreException("cannot append to journal", e);
            }
            lastSeq = seq;
            return seq;
        }

        @Override
        public synchronized long lastSeq() {
            return lastSeq;
        }

        @Override
        public Session current() {
            return load(id);
        }

        @Override
        public long appendMessage(Message message, Instant at) {
            throw new UnsupportedOperationException("not needed by the event tests");
        }

        @Override
        public long appendToolUse(ToolUse toolUse) {
            throw new UnsupportedOperationException("not needed by the event tests");
        }

        @Override
        public long updateMeta(String title, SessionMetadata metadata, Usage usage, Instant at) {
            throw new UnsupportedOperationException("not needed by the event tests");
        }

        @Override
        public void checkpoint() {
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new StoreException("cannot close journal", e);
            } finally {
                writers.remove(id);
            }
        }
    }
}
