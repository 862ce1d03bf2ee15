import type { AnyCommand } from './command.js';

/**
 * The API commands the server answers, by name. Names are looked up without regard to case, as
 * CloudStack's documentation promises; each command's own spelling is what listApis shows.
 */
export class Registry {
  private readonly commands = new Map<string, AnyCommand>();

  add(...commands: readonly AnyCommand[]): this {
    for (const command of commands) {
      const key = command.name.toLowerCase();
      if (this.commands.has(key)) throw new Error(`API command ${command.name} is registered twice`);
      this.commands.set(key, command);
    }
    return this;
  }

  get(name: string): AnyCommand | undefined {
    return this.commands.get(name.toLowerCase());
  }

  /** Every command, by name. */
  all(): readonly AnyCommand[] {
    return [...this.commands.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
