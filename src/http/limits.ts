// Limits that stop abusive operations before they reach the database, each
// refusal with a stable code, HTTP 400 and a message that states the limit:
//   - the operation's inputs: variables nested too deep, control characters
//     or unpaired surrogates in any text (PostgreSQL cannot store a NUL; JSON
//     cannot carry a lone surrogate) — in variables and in literals alike;
//   - page sizes and cursors of every connection, strictly parsed, before the
//     cost limit (which multiplies by page sizes) could speak for them;
//   - graphql-armor's depth, alias, cost, token and directive limits;
//   - in production, no "Did you mean …" in any answer, and introspection off
//     when the configuration says so;
//   - a per-request execution timeout.
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  visit,
  type ASTNode,
  type DocumentNode,
  type ValidationContext,
  type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Limits } from '../config.js';
import { MAX_PAGE_SIZE } from '../schema/pagination.js';

/** How deep a variable's value may nest (lists in objects in lists…). */
export const MAX_VARIABLE_DEPTH = 32;
/** The furthest an offset cursor (search results) may point. */
export const MAX_OFFSET = 10_000;

// C0 controls other than tab, line feed and carriage return; and DEL.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

const refusal = (code: string, message: string, extra: Record<string, unknown> = {}, nodes?: ASTNode) =>
  new GraphQLError(message, { nodes, extensions: { code, http: { status: 400 }, ...extra } });

const badText = (value: string) => CONTROL.test(value) || !value.isWellFormed();

/** The first problem with a variables value: too deep, or text that cannot be stored. Iterative: no stack to overflow. */
function variablesProblem(value: unknown): string | null {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (badText(v)) return 'Text may not contain control characters (such as NUL) or unpaired UTF-16 surrogates.';
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_VARIABLE_DEPTH) return `Variables may nest at most ${MAX_VARIABLE_DEPTH} levels deep.`;
    for (const [k, child] of Object.entries(v)) {
      if (badText(k)) return 'Text may not contain control characters (such as NUL) or unpaired UTF-16 surrogates.';
      stack.push([child, depth + 1]);
    }
  }
  return null;
}

/** Variables and every text of the request, checked before anything is parsed or cached. */
export function inputBoundsPlugin(): Plugin {
  return {
    onParams({ params }) {
      const problem =
        variablesProblem(params.variables) ??
        variablesProblem(params.extensions) ??
        (typeof params.query === 'string' && badText(params.query)
          ? 'The query text holds a control character.'
          : null) ??
        (typeof params.operationName === 'string' && badText(params.operationName)
          ? 'The operation name holds a control character.'
          : null);
      if (problem) throw refusal('BAD_USER_INPUT', problem);
    },
  };
}

const CURSOR_FORMATS = [
  // Pothos' Prisma connections, by id.
  /^GPC:S:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  // Offset connections (search results).
  /^OffsetConnection:(\d{1,6})$/,
];

/** Whether a cursor is one this API hands out, decoded strictly. */
export function isCursor(value: string): boolean {
  if (value.length > 200 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return CURSOR_FORMATS.some((format) => {
    const match = format.exec(decoded);
    return match !== null && (match[1] === undefined || Number(match[1]) <= MAX_OFFSET);
  });
}

/** An argument's value: a literal, or (given the variables) a variable's; undefined when not known here. */
function valueOf(node: ValueNode, variables: Record<string, unknown> | null): unknown {
  if (node.kind === Kind.VARIABLE) return variables?.[node.name.value];
  if (variables) return undefined;
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.STRING) return node.value;
  if (node.kind === Kind.NULL) return null;
  return undefined;
}

/**
 * Page sizes and cursors of every field that takes them: the literals (with
 * `variables` null, at validation, where the answer may be cached per
 * document), or the values given by variables (at execution).
 */
function connectionProblems(document: DocumentNode, variables: Record<string, unknown> | null): GraphQLError[] {
  const errors: GraphQLError[] = [];
  visit(document, {
    Field(field) {
      const args = new Map((field.arguments ?? []).map((a) => [a.name.value, a]));
      for (const name of ['first', 'last'] as const) {
        const arg = args.get(name);
        const value = arg && valueOf(arg.value, variables);
        if (typeof value === 'number' && (value < 0 || value > MAX_PAGE_SIZE)) {
          errors.push(
            refusal(
              'BAD_USER_INPUT',
              `"${name}" must be between 0 and ${MAX_PAGE_SIZE}; got ${value}`,
              { argument: name },
              arg,
            ),
          );
        }
      }
      const [first, last] = [args.get('first'), args.get('last')];
      if (first && last && valueOf(first.value, variables) != null && valueOf(last.value, variables) != null) {
        errors.push(
          refusal(
            'BAD_USER_INPUT',
            'give "first" (with "after") or "last" (with "before"), not both',
            { argument: 'last' },
            last,
          ),
        );
      }
      for (const name of ['after', 'before'] as const) {
        const arg = args.get(name);
        const value = arg && valueOf(arg.value, variables);
        if (typeof value === 'string' && !isCursor(value)) {
          errors.push(
            refusal('BAD_USER_INPUT', `"${name}" is not a cursor this API gave out`, { argument: name }, arg),
          );
        }
      }
    },
    // Literal text is checked like variables: an escape (\u0000) makes a control character.
    StringValue(node) {
      if (!variables && badText(node.value)) {
        errors.push(refusal('BAD_USER_INPUT', 'Text may not contain control characters (such as NUL).', {}, node));
      }
    },
  });
  return errors;
}

/**
 * Refuses bad page sizes, cursors and literal text: literals before the rest
 * of validation (the cost limit) runs, variables' values before execution.
 */
export function connectionArgumentsPlugin(): Plugin {
  return {
    onValidate({ params, setResult }) {
      const errors = connectionProblems(params.documentAST, null);
      if (errors.length > 0) setResult(errors);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const errors = connectionProblems(args.document, (args.variableValues ?? {}) as Record<string, unknown>);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
  };
}

const ARMOR_CODES: [RegExp, string, (limit: string, found: string) => string][] = [
  [
    /Query depth limit of (\d+) exceeded, found (\d+)/,
    'QUERY_TOO_DEEP',
    (l, f) => `The query's depth is ${f}; the limit is ${l} (MAX_DEPTH).`,
  ],
  [
    /Aliases limit of (\d+) exceeded, found (\d+)/,
    'TOO_MANY_ALIASES',
    (l, f) => `The query uses ${f} aliases; the limit is ${l} (MAX_ALIASES).`,
  ],
  [
    /Query Cost limit of (\d+) exceeded, found (\d+)/,
    'QUERY_TOO_COSTLY',
    (l, f) =>
      `The query's estimated cost is ${f}; the limit is ${l} (MAX_COST: 2 per object, 1 per field, times page sizes).`,
  ],
  [
    /Directives limit of (\d+) exceeded, found (\d+)/,
    'TOO_MANY_DIRECTIVES',
    (l, f) => `The query uses ${f} directives; the limit is ${l} (MAX_DIRECTIVES).`,
  ],
  [
    /Token limit of (\d+) exceeded/,
    'TOO_MANY_TOKENS',
    (l) => `The query has more than ${l} tokens, the limit (MAX_TOKENS).`,
  ],
];

/** A graphql-armor refusal as a coded one that states its limit. */
function coded(error: GraphQLError): GraphQLError {
  for (const [pattern, code, message] of ARMOR_CODES) {
    const match = pattern.exec(error.message);
    if (match) return refusal(code, message(match[1]!, match[2] ?? ''), {}, error.nodes?.[0]);
  }
  return error;
}

export function armorPlugins(limits: Limits, production: boolean): Plugin[] {
  // Validation-time limits report a coded error and let validation go on; the token
  // limit stops the parser, so its error is recoded as it leaves the parse phase.
  const report = {
    propagateOnRejection: false,
    onReject: [(ctx: unknown, err: GraphQLError) => (ctx as ValidationContext | null)?.reportError?.(coded(err))],
  };
  const armor = new EnvelopArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, ...report },
    maxAliases: { n: limits.maxAliases, ...report },
    // A flat cost per field (no depth multiplier): depth has its own limit, and the
    // deepest legitimate query (organisations → processors → organisation → …) stays cheap.
    costLimit: {
      maxCost: limits.maxCost,
      objectCost: 2,
      scalarCost: 1,
      depthCostFactor: 1,
      ignoreIntrospection: true,
      ...report,
    },
    maxTokens: { n: limits.maxTokens },
    maxDirectives: { n: limits.maxDirectives, ...report },
    blockFieldSuggestion: { enabled: production },
  });
  const recodeTokenLimit: Plugin = {
    onParse() {
      return ({ result, replaceParseResult }) => {
        if (result instanceof GraphQLError) replaceParseResult(coded(result));
      };
    },
  };
  return [...(armor.protect().plugins as Plugin[]), recodeTokenLimit];
}

const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** Production answers name no fields, enum values or input fields the client did not send. */
export function noSuggestionsPlugin(): Plugin {
  const strip = <E extends Error>(error: E): E | GraphQLError => {
    if (!error.message.includes('Did you mean')) return error;
    const original = error instanceof GraphQLError ? error : null;
    return new GraphQLError(error.message.replace(SUGGESTION, ''), {
      nodes: original?.nodes,
      path: original?.path,
      extensions: original?.extensions,
    });
  };
  return {
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length > 0) setResult(result.map(strip));
      };
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if ('errors' in result && result.errors?.length) setResult({ ...result, errors: result.errors.map(strip) });
        },
      };
    },
  };
}

/**
 * Every error an answer carries has a code a client can act on: what GraphQL
 * itself reports without one (a variable of the wrong type, an unknown enum
 * value) is the client's input: BAD_USER_INPUT. (Faults are masked with
 * INTERNAL_SERVER_ERROR before this; every error the API raises has its code.)
 */
export function codedErrorsPlugin(): Plugin {
  const withCode = <E extends Error>(error: E): E | GraphQLError => {
    if (!(error instanceof GraphQLError) || error.extensions?.code) return error;
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      path: error.path,
      originalError: error.originalError,
      extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
    });
  };
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if ('errors' in result && result.errors?.length)
            setResult({ ...result, errors: result.errors.map(withCode) });
        },
      };
    },
  };
}

/** INTROSPECTION=false: the schema is not served to clients (schema.graphql is published in the repository). */
export function noIntrospectionPlugin(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}

/** Answers with a clear error when execution runs past the limit. */
export function timeoutPlugin(ms: number): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((args) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise((resolve) => {
          timer = setTimeout(
            () =>
              resolve({
                errors: [
                  new GraphQLError(`The request took longer than ${ms} ms and was stopped.`, {
                    extensions: { code: 'TIMEOUT', http: { status: 503 } },
                  }),
                ],
              }),
            ms,
          );
        });
        return Promise.race([Promise.resolve(executeFn(args)), timeout]).finally(() =>
          clearTimeout(timer),
        ) as ReturnType<typeof executeFn>;
      });
    },
  };
}
