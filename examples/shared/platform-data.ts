import { BodyError, type HttpReply, jsonReply, notFoundReply } from './http-reply.js';
import { objectBody } from './request-body.js';
import { DIRECTORY, findWorkspace, USERS } from './world.js';

/** A row of a dataset: flat JSON. */
type Row = Record<string, string | number | boolean | null>;

/** Most rows one write or ingest call may carry. */
const MAX_ROWS = 1000;

/** The rows the example starts with. */
function seedRows(datasetId: string): Row[] {
  return [1, 2, 3].map((n) => ({ id: `${datasetId.replace(/^d_/, '')}_${n}`, value: n * 10 }));
}

/** Validates `rows`: an array of up to 1000 flat JSON objects. */
function rowsOf(value: unknown, field: string): Row[] {
  const ok =
    Array.isArray(value) &&
    value.length <= MAX_ROWS &&
    value.every(
      (row) =>
        typeof row === 'object' &&
        row !== null &&
        !Array.isArray(row) &&
        Object.values(row).every(
          (cell) => cell === null || ['string', 'number', 'boolean'].includes(typeof cell),
        ),
    );
  if (!ok)
    throw new BodyError(
      400,
      'invalid_body',
      `Expected "${field}": an array of at most ${MAX_ROWS} flat objects.`,
    );
  return value as Row[];
}

/**
 * The data side of the example platform: what the protected routes serve once keyward has let a
 * request through. In-memory, per process; a real host has its own data stores.
 */
export class PlatformData {
  readonly #rows = new Map<string, Row[]>();
  readonly #ledger = new Map<
    string,
    { seq: number; kind: string; datasetId: string | null; rows: number }[]
  >();

  /** `GET /tenants/:t/workspaces`. */
  workspaces(tenantId: string): HttpReply {
    const tenant = DIRECTORY.tenants[tenantId];
    if (tenant === undefined) return notFoundReply();
    const workspaces = Object.entries(tenant.workspaces).map(([id, w]) => ({ id, name: w.name }));
    return jsonReply(200, { tenantId, workspaces });
  }

  /** `GET /tenants/:t/users/roles`. */
  tenantUserRoles(tenantId: string): HttpReply {
    const users = Object.values(USERS)
      .filter((u) => u.actor.tenantId === tenantId)
      .flatMap((u) =>
        Object.entries(u.roles).map(([workspaceId, role]) => ({ userId: u.actor.id, workspaceId, role })),
      );
    return jsonReply(200, { tenantId, users });
  }

  /** `GET /workspaces/:w`. */
  workspace(workspaceId: string): HttpReply {
    const found = findWorkspace(workspaceId);
    if (found === null) return notFoundReply();
    const datasets = Object.entries(found.workspace.datasets).map(([id, name]) => ({ id, name }));
    return jsonReply(200, {
      id: workspaceId,
      tenantId: found.tenantId,
      name: found.workspace.name,
      datasets,
    });
  }

  /** `POST /workspaces/:w/ingest` with `{ records: [...] }`. */
  ingest(workspaceId: string, body: unknown): HttpReply {
    const records = rowsOf(objectBody(body).records, 'records');
    const entry = this.#record(workspaceId, 'ingest', null, records.length);
    return jsonReply(202, { workspaceId, accepted: records.length, ledgerSeq: entry.seq });
  }

  /** `GET /workspaces/:w/schemas`: the fields of each dataset's rows. */
  schemas(workspaceId: string): HttpReply {
    const found = findWorkspace(workspaceId);
    if (found === null) return notFoundReply();
    const schemas = Object.keys(found.workspace.datasets).map((datasetId) => {
      const fields = new Set(this.#rowsOf(workspaceId, datasetId).flatMap((row) => Object.keys(row)));
      return { datasetId, fields: [...fields].sort() };
    });
    return jsonReply(200, { workspaceId, schemas });
  }

  /** `GET /workspaces/:w/ledger`: every write and ingest, in order. */
  ledger(workspaceId: string): HttpReply {
    return jsonReply(200, { workspaceId, entries: this.#ledger.get(workspaceId) ?? [] });
  }

  /** `GET /workspaces/:w/users/roles`. */
  workspaceUserRoles(workspaceId: string): HttpReply {
    const users = Object.values(USERS)
      .filter((u) => u.roles[workspaceId] !== undefined)
      .map((u) => ({ userId: u.actor.id, role: u.roles[workspaceId] }));
    return jsonReply(200, { workspaceId, users });
  }

  /** `GET /workspaces/:w/datasets/:d`. */
  dataset(workspaceId: string, datasetId: string): HttpReply {
    const name = findWorkspace(workspaceId)?.workspace.datasets[datasetId];
    if (name === undefined) return notFoundReply();
    return jsonReply(200, { id: datasetId, workspaceId, name, rows: this.#rowsOf(workspaceId, datasetId) });
  }

  /** `PUT /workspaces/:w/datasets/:d` with `{ rows: [...] }`: replaces the rows. */
  replaceDataset(workspaceId: string, datasetId: string, body: unknown): HttpReply {
    const rows = rowsOf(objectBody(body).rows, 'rows');
    this.#rows.set(`${workspaceId}/${datasetId}`, rows);
    this.#record(workspaceId, 'write', datasetId, rows.length);
    return jsonReply(200, { id: datasetId, workspaceId, rowCount: rows.length });
  }

  #rowsOf(workspaceId: string, datasetId: string): Row[] {
    return this.#rows.get(`${workspaceId}/${datasetId}`) ?? seedRows(datasetId);
  }

  #record(workspaceId: string, kind: string, datasetId: string | null, rows: number) {
    const entries = this.#ledger.get(workspaceId) ?? [];
    const entry = { seq: entries.length + 1, kind, datasetId, rows };
    entries.push(entry);
    this.#ledger.set(workspaceId, entries);
    return entry;
  }
}
