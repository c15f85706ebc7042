/**
 * A staff directory held in memory: people from a staff file, as the database directory would
 * resolve them after importing it. For tools and tests that run without PostgreSQL (the
 * time-skipping test server); a deployment reads the directory from the database.
 */
import type { StaffFile } from './staff-file.js';
import type { StaffPerson } from './types.js';

export class StaticDirectory {
  private readonly people: Map<string, StaffPerson>;

  constructor(
    people: readonly Omit<StaffPerson, 'directoryVersion'>[] | StaffFile,
    readonly directoryVersion = 1,
  ) {
    const list = Array.isArray(people) ? people : (people as StaffFile).people;
    this.people = new Map(list.map(({ line: _line, ...person }: Omit<StaffPerson, 'directoryVersion'> & { line?: number }) => [person.id, { ...person, directoryVersion }]));
  }

  async resolve(personId: string): Promise<StaffPerson | undefined> {
    return this.people.get(personId);
  }
}
