// A few operations through @google-cloud/datastore (gRPC) with nothing but DATASTORE_EMULATOR_HOST
// set, as a Node service sharing the Datastore would run. Prints one JSON line of what it read.
import { Datastore } from '@google-cloud/datastore';

const datastore = new Datastore({ projectId: process.env.PROJECT });
const room = datastore.key(['Room', 'node-room']);

await datastore.save({ key: room, data: { name: 'from node', members: 2 } });
const [written] = await datastore.get(room);

// Java wrote Room/java-room before this script started.
const [fromJava] = await datastore.get(datastore.key(['Room', 'java-room']));

const transaction = datastore.transaction();
await transaction.run();
const [inTransaction] = await transaction.get(room);
transaction.save({ key: room, data: { name: 'from node', members: inTransaction.members + 1 } });
await transaction.commit();

const [rooms] = await datastore.createQuery('Room').filter('members', '>=', 1).order('members').run();
await datastore.delete(datastore.key(['Room', 'doomed']));

console.log(JSON.stringify({
  written: written.name,
  fromJava: fromJava.name,
  queried: rooms.map(r => r[datastore.KEY].name),
}));
