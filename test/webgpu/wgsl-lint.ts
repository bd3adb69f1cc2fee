/**
 * A WGSL hazard check for generated shaders. WGSL says a `var` declared without an initializer is zero at the
 * start of each lifetime, i.e. on every iteration of the loop body that declares it; Dawn on Vulkan
 * (the `webgpu` package's dawn.node, on an H100) zeroes it only once, so an accumulator declared inside a
 * loop silently carries the previous iteration's value (docs/webgpu.md, "Finding"). Our generators declare
 * such variables outside the loop and reset them by hand; this check keeps it that way.
 */

/** `var name : type;` (function scope, no initializer) declared inside a `for`/`loop`/`while` body: one entry per hit. */
export function loopLocalVarsWithoutInitializer(wgsl: string): string[] {
  const hits: string[] = [];
  // A stack of open blocks; true where the block is a loop body.
  const blocks: boolean[] = [];
  let loopHeader = false;
  let parens = 0;
  const tokens = wgsl.replace(/\/\/[^\n]*/g, '').match(/var\s*<[^>]*>\s*\w+|var\s+\w+\s*:[^;={]*;|\bfor\b|\bloop\b|\bwhile\b|[(){}]/g) ?? [];
  for (const tok of tokens) {
    if (tok === 'for' || tok === 'loop' || tok === 'while') loopHeader = true;
    else if (tok === '(') parens++;
    else if (tok === ')') parens--;
    else if (tok === '{') {
      blocks.push(loopHeader && parens === 0);
      if (parens === 0) loopHeader = false;
    } else if (tok === '}') blocks.pop();
    else if (/^var\s+\w+/.test(tok) && blocks.includes(true)) hits.push(tok.replace(/\s+/g, ' '));
  }
  return hits;
}
