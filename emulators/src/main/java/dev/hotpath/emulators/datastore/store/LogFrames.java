package dev.hotpath.emulators.datastore.store;

import com.google.datastore.v1.Entity;
import com.google.datastore.v1.EntityResult;
import com.google.datastore.v1.Key;
import com.google.datastore.v1.LookupResponse;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The on-disk form of a {@link CommitRecord}: a frame of {@code [int length][int crc32c][payload]},
 * whose payload is a serialized {@code google.datastore.v1.LookupResponse} ({@code found} = the
 * entities written with their version and times, {@code missing} = the keys deleted, {@code
 * read_time} = the commit time). Reusing that public message keeps the files readable with any
 * protobuf tool; the checksum lets a reader stop cleanly at a frame torn by a crash.
 */
final class LogFrames {
  static final int HEADER_BYTES = 8;

  static byte[] encode(CommitRecord record) {
    LookupResponse.Builder payload =
        LookupResponse.newBuilder().setReadTime(Micros.toTimestamp(record.commit()));
    for (VersionedEntity e : record.written()) {
      payload.addFound(
          EntityResult.newBuilder()
              .setEntity(e.entity())
              .setVersion(e.version())
              .setCreateTime(e.createTime())
              .setUpdateTime(e.updateTime()));
    }
    for (Key k : record.deleted()) {
      payload.addMissing(EntityResult.newBuilder().setEntity(Entity.newBuilder().setKey(k)));
    }
    byte[] body = payload.build().toByteArray();
    ByteBuffer frame = ByteBuffer.allocate(HEADER_BYTES + body.length);
    frame.putInt(body.length).putInt(checksum(body)).put(body);
    return frame.array();
  }

  /**
   * The record in {@code body} whose header announced {@code crc}, or null if the frame is damaged.
   */
  static CommitRecord decode(byte[] body, int crc) {
    if (checksum(body) != crc) {
      return null;
    }
    try {
      LookupResponse payload = LookupResponse.parseFrom(body);
      List<VersionedEntity> written = new ArrayList<>();
      for (EntityResult r : payload.getFoundList()) {
        written.add(
            new VersionedEntity(
                r.getEntity(), r.getVersion(), r.getCreateTime(), r.getUpdateTime()));
      }
      List<Key> deleted = new ArrayList<>();
      for (EntityResult r : payload.getMissingList()) {
        deleted.add(r.getEntity().getKey());
      }
      Timestamp time = payload.getReadTime();
      return new CommitRecord(Micros.of(time), written, deleted);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  private static int checksum(byte[] body) {
    CRC32C crc = new CRC32C();
    crc.update(body);
    return (int) crc.getValue();
  }

  private LogFrames() {}
}
