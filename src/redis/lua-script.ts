import { type Redis } from 'ioredis';

/** A Redis argument as ioredis sends it. */
export type LuaArg = string | number | Buffer;

/**
 * A Lua script with typed keys, arguments and result. It is installed on a client as an ioredis command
 * (`defineCommand`), so it runs by EVALSHA, reloads itself on NOSCRIPT (a Redis that restarted heals by
 * itself), and joins auto-pipelines like any other command.
 */
export interface LuaScript<Result> {
  readonly name: string;
  /** Runs the script on `redis` (installing it on that client first if needed). */
  run(redis: Redis, keys: readonly string[], args?: readonly LuaArg[]): Promise<Result>;
  /**
   * Installs the script on `redis` now. ioredis copies a client's defined commands into each pipeline it
   * builds from then on, so a script that may ride in a pipeline must be installed before the first one.
   */
  install(redis: Redis): void;
}

type ScriptCommand = (...keysAndArgs: LuaArg[]) => Promise<unknown>;

/**
 * Defines a Lua script. `name` becomes the ioredis command name: give each script a unique one, prefixed
 * `th`. The only untyped access to ioredis's dynamic commands in the code base is here.
 */
export function defineLuaScript<Result>(name: string, numberOfKeys: number, lua: string): LuaScript<Result> {
  const installed = new WeakSet<Redis>();
  const install = (redis: Redis): void => {
    if (installed.has(redis)) return;
    redis.defineCommand(name, { numberOfKeys, lua });
    installed.add(redis);
  };
  return {
    name,
    install,
    async run(redis, keys, args = []) {
      if (keys.length !== numberOfKeys) {
        throw new Error(`script ${name} takes ${numberOfKeys} keys, got ${keys.length}`);
      }
      install(redis);
      // ioredis adds commands defined at run time as properties of the client; they are not in its types.
      const command = (redis as unknown as Record<string, ScriptCommand>)[name];
      return (await command.call(redis, ...keys, ...args)) as Result;
    },
  };
}
