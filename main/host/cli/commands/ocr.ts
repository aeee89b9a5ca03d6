import type { Command } from 'commander';

/** ocr (issue: document OCR). */
export function registerOcrCommands(_program: Command): void {}
