// Server commands: INFO, CONFIG, TIME.
import { applySettings, SETTINGS } from '../config';
import { infoText } from '../info';
import { arg, globMatchNoCase, runSubcommand, type CommandContext, type ServerCommand, type Subcommands } from './types';

// A pattern without glob characters names one setting and is answered in the client's
// spelling; a glob answers the matching settings under their own names (as Redis does).
function configGet(ctx: CommandContext): void {
  const found = new Map<string, string>();
  for (const raw of ctx.argv.slice(2).map(String)) {
    if (!/[*?[\\]/.test(raw)) {
      if (SETTINGS[raw.toLowerCase()] && ![...found.keys()].some((k) => k.toLowerCase() === raw.toLowerCase())) {
        found.set(raw, raw.toLowerCase());
      }
      continue;
    }
    for (const name of Object.keys(SETTINGS)) {
      if (globMatchNoCase(raw, name) && ![...found.values()].includes(name)) found.set(name, name);
    }
  }
  ctx.reply.map(found.size);
  for (const [shown, name] of found) ctx.reply.bulk(shown).bulk(SETTINGS[name]!.get(ctx.server.config));
}

function configSet(ctx: CommandContext): void {
  if (ctx.argv.length % 2 !== 0) return void ctx.reply.error('ERR syntax error');
  const pairs: [string, string][] = [];
  for (let i = 2; i < ctx.argv.length; i += 2) pairs.push([arg(ctx, i), arg(ctx, i + 1)]);
  const error = applySettings(ctx.server.config, pairs);
  if (error) return void ctx.reply.error(error);
  ctx.server.configChanged();
  ctx.reply.ok();
}

const CONFIG_HELP = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
  'HELP',
  '    Print this help.',
];

const CONFIG_SUBCOMMANDS: Subcommands = {
  GET: [-3, configGet],
  SET: [-4, configSet],
  RESETSTAT: [2, (ctx) => {
    ctx.server.resetStats();
    ctx.reply.ok();
  }],
  REWRITE: [2, (ctx) => ctx.reply.error('ERR The server is running without a config file')],
  HELP: [2, (ctx) => {
    ctx.reply.array(CONFIG_HELP.length);
    for (const line of CONFIG_HELP) ctx.reply.status(line);
  }],
};

function time(ctx: CommandContext): void {
  const micros = BigInt(Math.round(performance.timeOrigin * 1000 + performance.now() * 1000));
  ctx.reply.array(2).bulk(String(micros / 1_000_000n)).bulk(String(micros % 1_000_000n));
}

export const serverCommands: ServerCommand[] = [
  {
    name: 'info',
    arity: -1,
    run: (ctx) => ctx.reply.verbatim(infoText(ctx.server, ctx.argv.slice(1).map((b) => b.toString()))),
  },
  { name: 'config', arity: -2, subcommands: CONFIG_SUBCOMMANDS, run: (ctx) => runSubcommand(ctx, CONFIG_SUBCOMMANDS) },
  { name: 'time', arity: 1, run: time },
];
