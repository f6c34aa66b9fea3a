// A few operations through @google-cloud/tasks on its documented route to an emulator: an
// insecure gRPC channel to servicePath/port. Prints one JSON line of what it read.
import { CloudTasksClient } from '@google-cloud/tasks';
import * as grpc from '@grpc/grpc-js';

const [host, port] = process.env.CLOUD_TASKS_EMULATOR_HOST.split(':');
const client = new CloudTasksClient({ servicePath: host, port: Number(port), sslCreds: grpc.credentials.createInsecure() });
const parent = `projects/${process.env.PROJECT}/locations/us-central1`;

const [queue] = await client.createQueue({ parent, queue: { name: `${parent}/queues/node-queue` } });
const [task] = await client.createTask({
  parent: queue.name,
  task: {
    name: `${queue.name}/tasks/node-task`,
    // far in the future: the test reads the task back instead of watching it run
    scheduleTime: { seconds: Math.floor(Date.now() / 1000) + 3600 },
    httpRequest: { url: 'http://localhost:9/never', httpMethod: 'POST', body: Buffer.from('hello') },
  },
});
const [tasks] = await client.listTasks({ parent: queue.name });
const [fetched] = await client.getQueue({ name: queue.name });

console.log(JSON.stringify({ queue: fetched.name, state: fetched.state, task: task.name, listed: tasks.map(t => t.name) }));
await client.close();
