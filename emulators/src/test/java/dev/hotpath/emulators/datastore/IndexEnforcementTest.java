package dev.hotpath.emulators.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.datastore.AggregationQuery;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.EntityQuery;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.Query;
import com.google.cloud.datastore.StructuredQuery.OrderBy;
import com.google.cloud.datastore.StructuredQuery.PropertyFilter;
import com.google.cloud.datastore.aggregation.Aggregation;
import com.google.common.collect.ImmutableList;
import dev.hotpath.emulators.datastore.query.CompositeIndex;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Composite index enforcement over the real client: what production refuses, the emulator refuses.
 */
class IndexEnforcementTest {
  private static final CompositeIndex BY_CREATED =
      new CompositeIndex(
          "Message",
          true,
          List.of(
              new CompositeIndex.Property("created", true),
              new CompositeIndex.Property("__key__", true)));

  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.create(b -> b.indexes(CompositeIndexes.of(BY_CREATED)));

  private final Datastore client = datastore.client();
  private final Key parent = client.newKeyFactory().setKind("Shard").newKey("s1");

  @Test
  void aQueryWithItsIndexRuns() {
    client.put(
        Entity.newBuilder(Key.newBuilder(parent, "Message", 1).build()).set("created", 5).build());
    EntityQuery query =
        Query.newEntityQueryBuilder()
            .setKind("Message")
            .setFilter(PropertyFilter.hasAncestor(parent))
            .setOrderBy(OrderBy.desc("created"), OrderBy.desc("__key__"))
            .build();
    assertEquals(1, ImmutableList.copyOf(client.run(query)).size());
  }

  @Test
  void aQueryWithoutItsIndexFailsLikeProduction() {
    EntityQuery query =
        Query.newEntityQueryBuilder()
            .setKind("Message")
            .setFilter(PropertyFilter.hasAncestor(parent))
            .setOrderBy(OrderBy.asc("created"))
            .build();
    DatastoreException e =
        assertThrows(DatastoreException.class, () -> ImmutableList.copyOf(client.run(query)));
    assertEquals("FAILED_PRECONDITION", e.getReason());
    assertTrue(
        e.getMessage()
            .startsWith(
                "no matching index found. recommended index is:\n- kind: Message\n"
                    + "  ancestor: yes\n  properties:\n  - name: created\n    direction: asc\n"),
        e.getMessage());
  }

  @Test
  void anotherKindNeedsItsOwnIndex() {
    EntityQuery query =
        Query.newEntityQueryBuilder()
            .setKind("Note")
            .setFilter(PropertyFilter.hasAncestor(parent))
            .setOrderBy(OrderBy.desc("created"), OrderBy.desc("__key__"))
            .build();
    DatastoreException e =
        assertThrows(DatastoreException.class, () -> ImmutableList.copyOf(client.run(query)));
    assertEquals("FAILED_PRECONDITION", e.getReason());
  }

  @Test
  void builtInIndexesNeedNoDefinition() {
    client.put(
        Entity.newBuilder(client.newKeyFactory().setKind("Note").newKey(1)).set("at", 3).build());
    assertEquals(
        1,
        ImmutableList.copyOf(client.run(Query.newEntityQueryBuilder().setKind("Note").build()))
            .size());
    assertEquals(
        1,
        ImmutableList.copyOf(
                client.run(
                    Query.newEntityQueryBuilder()
                        .setKind("Note")
                        .setFilter(PropertyFilter.gt("at", 1))
                        .setOrderBy(OrderBy.desc("at"))
                        .build()))
            .size());
  }

  @Test
  void aggregationsAreCheckedToo() {
    EntityQuery nested =
        Query.newEntityQueryBuilder()
            .setKind("Note")
            .setFilter(PropertyFilter.eq("a", 1))
            .setOrderBy(OrderBy.asc("b"))
            .build();
    AggregationQuery count =
        Query.newAggregationQueryBuilder().over(nested).addAggregation(Aggregation.count()).build();
    DatastoreException e =
        assertThrows(DatastoreException.class, () -> client.runAggregation(count));
    assertEquals("FAILED_PRECONDITION", e.getReason());
  }

  @Test
  void definitionsRepeatForTheKindsOfTheirSetting(@TempDir Path dir) throws IOException {
    Path json = dir.resolve("indexes.json");
    Files.writeString(
        json,
        """
        {"indexes": [
          {"name": "listing", "kindsFrom": "KINDS", "ancestor": true,
           "properties": [{"name": "created", "direction": "desc"}, {"name": "__key__", "direction": "desc"}]},
          {"name": "fixed", "kind": "Audit", "ancestor": false,
           "properties": [{"name": "user", "direction": "asc"}, {"name": "at", "direction": "desc"}]}]}
        """);
    CompositeIndexes read = CompositeIndexes.read(json, Map.of("KINDS", "Message, Note,"));
    assertEquals(
        Set.of(
            BY_CREATED,
            new CompositeIndex("Note", true, BY_CREATED.properties()),
            new CompositeIndex(
                "Audit",
                false,
                List.of(
                    new CompositeIndex.Property("user", false),
                    new CompositeIndex.Property("at", true)))),
        read.indexes());
    assertEquals(
        Set.of("Audit"),
        Set.copyOf(
            CompositeIndexes.read(json, Map.of()).indexes().stream()
                .map(CompositeIndex::kind)
                .toList()));
  }

  @Test
  void theProjectDefinesTheGroupListingIndexPerAllowedKind() {
    CompositeIndexes project =
        CompositeIndexes.ofProject(Map.of("HOTPATH_ALLOWED_KINDS", "Message"));
    assertEquals(
        Set.of(
            new CompositeIndex(
                "Message",
                false,
                List.of(
                    new CompositeIndex.Property("hotpath:shard", false),
                    new CompositeIndex.Property("hotpath:created", true),
                    new CompositeIndex.Property("__key__", true))),
            // the operations sweep's query (a fixed kind)
            new CompositeIndex(
                "HotpathOperation",
                false,
                List.of(
                    new CompositeIndex.Property("state", false),
                    new CompositeIndex.Property("createdAt", false)))),
        project.indexes());
  }
}
