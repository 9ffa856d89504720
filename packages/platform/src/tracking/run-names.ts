import { randomInt } from 'node:crypto'

// Short, friendly words, in the spirit of MLflow's generated run names ("bold-fox-482").
const ADJECTIVES = (
  'able amber bold brave bright calm clever crisp dapper eager fair fleet gentle glad grand ' +
  'happy honest keen kind lively lucky merry mighty neat nimble noble polite proud quick quiet ' +
  'rare sharp shy silent smooth sunny swift tidy vivid wise'
).split(' ')

const NOUNS = (
  'ant bat bear bee carp cat colt crab crow deer dove duck eel elk finch fox frog goat hare hawk ' +
  'heron ibis lark lion lynx mole moth newt owl panda perch robin seal shrew snail stork swan ' +
  'toad trout wren'
).split(' ')

function pick(words: readonly string[]): string {
  return words[randomInt(words.length)] as string
}

/** A random run name such as `bold-fox-482`, used when a run is created without one. */
export function generateRunName(): string {
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${randomInt(1000)}`
}
