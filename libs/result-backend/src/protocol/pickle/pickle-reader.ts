/**
 * A pickle reader (protocols 0–5) that never executes anything: a stack machine over the
 * opcodes whose only "calls" go through the allow-list in `pickle-globals.decoder.ts`.
 */
import { OP, REFUSED_OPCODES } from './pickle-opcodes.constants.js';
import {
  buildObject,
  callGlobal,
  globalRef,
} from './pickle-globals.decoder.js';
import { PickleFormatError, PickleInput } from './pickle-input.decoder.js';
import { parseIntText } from './pickle-text.decoder.js';
import { SCALAR_READERS } from './pickle-scalars.decoder.js';
import { pyDictKey, setDictItem } from './pickle-dict.decoder.js';
import { UnknownPythonObject } from './python-values.js';

const MARK = Symbol('mark');

/** The memo index a GET/PUT opcode carries: a decimal line, one byte, or a 4-byte u32. */
function memoIndex(op: number, input: PickleInput): number {
  if (op === OP.GET || op === OP.PUT)
    return Number(parseIntText(input.line(), false));
  return op === OP.BINGET || op === OP.BINPUT ? input.u8() : input.u32();
}

/** The pickle stack machine; `run()` returns the value or throws `PickleFormatError`. @internal */
export class PickleReader {
  private stack: unknown[] = [];
  private readonly marks: number[] = [];
  private readonly memo = new Map<number, unknown>();

  constructor(private readonly input: PickleInput) {}

  run(): unknown {
    for (;;) {
      const op = this.input.u8();
      if (op === OP.STOP) {
        if (this.stack.length !== 1 || this.marks.length)
          throw new PickleFormatError(
            'STOP with a stack that is not one value',
          );
        const value = this.stack[0];
        return value;
      }
      this.step(op);
    }
  }

  private pop(): unknown {
    if (this.stack.length === 0 || this.stack.at(-1) === MARK)
      throw new PickleFormatError(
        `stack underflow at offset ${this.input.offset}`,
      );
    return this.stack.pop();
  }

  private top(): unknown {
    if (this.stack.length === 0) throw new PickleFormatError('stack underflow');
    return this.stack[this.stack.length - 1];
  }

  private popMark(): unknown[] {
    const at = this.marks.pop();
    if (at === undefined) throw new PickleFormatError('no MARK on the stack');
    const items = this.stack.slice(at + 1);
    this.stack.length = at;
    return items;
  }

  private push(value: unknown): void {
    this.stack.push(value);
  }

  private get(index: number): void {
    if (!this.memo.has(index))
      throw new PickleFormatError(`memo index ${index} not defined`);
    this.push(this.memo.get(index));
  }

  private put(index: number): void {
    if (index < 0) throw new PickleFormatError('negative memo index');
    this.memo.set(index, this.top());
  }

  private setItems(target: unknown, items: readonly unknown[]): void {
    if (items.length % 2)
      throw new PickleFormatError('odd number of dict items');
    const dict =
      target instanceof UnknownPythonObject
        ? (target.dictItems ??= {})
        : target;
    for (let i = 0; i < items.length; i += 2)
      setDictItem(dict, pyDictKey(items[i]), items[i + 1]);
  }

  private append(target: unknown, items: readonly unknown[]): void {
    if (target instanceof Set) for (const item of items) target.add(item);
    else if (Array.isArray(target)) for (const item of items) target.push(item);
    else if (target instanceof UnknownPythonObject)
      (target.listItems ??= []).push(...items);
    else throw new PickleFormatError('APPEND to a value that is not a list');
  }

  private step(op: number): void {
    const input = this.input;
    switch (op) {
      case OP.PROTO:
        if (input.u8() > 5)
          throw new PickleFormatError('unsupported pickle protocol');
        return;
      case OP.FRAME:
        input.u64();
        return;
      case OP.MARK:
        this.marks.push(this.stack.length);
        return this.push(MARK);
      case OP.POP:
        if (this.stack.at(-1) === MARK) this.popMark();
        else this.pop();
        return;
      case OP.POP_MARK:
        this.popMark();
        return;
      case OP.DUP:
        return this.push(this.top());
      case OP.EMPTY_LIST:
        return this.push([]);
      case OP.EMPTY_TUPLE:
        return this.push([]);
      case OP.EMPTY_DICT:
        return this.push({});
      case OP.EMPTY_SET:
        return this.push(new Set());
      case OP.LIST:
      case OP.TUPLE:
        return this.push(this.popMark());
      case OP.TUPLE1:
        return this.push([this.pop()]);
      case OP.TUPLE2: {
        const b = this.pop();
        return this.push([this.pop(), b]);
      }
      case OP.TUPLE3: {
        const c = this.pop();
        const b = this.pop();
        return this.push([this.pop(), b, c]);
      }
      case OP.FROZENSET:
        return this.push(new Set(this.popMark()));
      case OP.DICT: {
        const items = this.popMark();
        const dict = {};
        this.setItems(dict, items);
        return this.push(dict);
      }
      case OP.APPEND: {
        const item = this.pop();
        return this.append(this.top(), [item]);
      }
      case OP.APPENDS:
      case OP.ADDITEMS: {
        const items = this.popMark();
        return this.append(this.top(), items);
      }
      case OP.SETITEM: {
        const value = this.pop();
        const key = this.pop();
        return this.setItems(this.top(), [key, value]);
      }
      case OP.SETITEMS: {
        const items = this.popMark();
        return this.setItems(this.top(), items);
      }
      case OP.GET:
      case OP.BINGET:
      case OP.LONG_BINGET:
        return this.get(memoIndex(op, input));
      case OP.PUT:
      case OP.BINPUT:
      case OP.LONG_BINPUT:
        return this.put(memoIndex(op, input));
      case OP.MEMOIZE:
        return this.put(this.memo.size);
      case OP.GLOBAL: {
        const module = input.line();
        return this.push(globalRef(module, input.line()));
      }
      case OP.STACK_GLOBAL: {
        const name = this.pop();
        const module = this.pop();
        if (typeof module !== 'string' || typeof name !== 'string')
          throw new PickleFormatError('STACK_GLOBAL needs two strings');
        return this.push(globalRef(module, name));
      }
      case OP.REDUCE: {
        const args = this.pop();
        if (!Array.isArray(args))
          throw new PickleFormatError('REDUCE arguments must be a tuple');
        return this.push(callGlobal(this.pop(), args));
      }
      case OP.NEWOBJ: {
        const args = this.pop();
        if (!Array.isArray(args))
          throw new PickleFormatError('NEWOBJ arguments must be a tuple');
        return this.push(callGlobal(this.pop(), args));
      }
      case OP.NEWOBJ_EX: {
        const kwargs = this.pop();
        const args = this.pop();
        if (
          !Array.isArray(args) ||
          typeof kwargs !== 'object' ||
          kwargs === null
        )
          throw new PickleFormatError('bad NEWOBJ_EX arguments');
        const cls = this.pop();
        const kw = Object.keys(kwargs).length
          ? (kwargs as Record<string, unknown>)
          : null;
        return this.push(callGlobal(cls, args, kw));
      }
      case OP.INST: {
        const module = input.line();
        const ref = globalRef(module, input.line());
        return this.push(callGlobal(ref, this.popMark()));
      }
      case OP.OBJ: {
        const [cls, ...args] = this.popMark();
        return this.push(callGlobal(cls, args));
      }
      case OP.BUILD: {
        const state = this.pop();
        const target = this.pop();
        return this.push(buildObject(target, state));
      }
      default: {
        const readScalar = SCALAR_READERS.get(op);
        if (readScalar) return this.push(readScalar(input));
        if (REFUSED_OPCODES.has(op))
          throw new PickleFormatError(
            `${REFUSED_OPCODES.get(op)} are not supported`,
          );
        throw new PickleFormatError(
          `unknown opcode 0x${op.toString(16)} at offset ${input.offset - 1}`,
        );
      }
    }
  }
}
