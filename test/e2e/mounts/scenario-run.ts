import { runManagementScenario } from './management-scenario.js';
import { type Mount, startMount } from './mount-servers.js';
import { type Exchange, ScenarioClient } from './scenario-client.js';
import { openScenarioKeyward } from './scenario-world.js';

/**
 * Runs the scenario against `mount` over a fresh keyward (a new SQLite file, or PostgreSQL at
 * `postgresUrl`) and returns every exchange; the mount and the keyward are closed afterwards.
 */
export async function scenarioOn(mount: Mount, postgresUrl?: string): Promise<readonly Exchange[]> {
  const world = await openScenarioKeyward(postgresUrl);
  const server = await startMount(mount, world.kw);
  try {
    const client = await ScenarioClient.open(server.url, world.clock);
    await runManagementScenario(client);
    return client.exchanges;
  } finally {
    await server.close();
    await world.close();
  }
}
