/**
 * The colour scheme: the system's (prefers-color-scheme) unless the person picks light or dark with the
 * toggle; the choice is kept in localStorage. Applied as <html data-theme="light|dark"> (styles.css holds
 * both palettes); `resolved` is what is shown, for the code that draws (charts, heatmap).
 */
import type { Scheme } from './colors';

export type ThemeChoice = 'system' | Scheme;
const KEY = 'glyphlab.theme';
const CHOICES: ThemeChoice[] = ['system', 'light', 'dark'];

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return CHOICES.includes(v as ThemeChoice) ? (v as ThemeChoice) : 'system';
  } catch {
    return 'system';
  }
}

class Theme {
  choice = $state<ThemeChoice>(stored());
  system = $state<Scheme>('dark');
  readonly resolved: Scheme = $derived(this.choice === 'system' ? this.system : this.choice);

  /** Follows the system's scheme and applies the current one; called once before the app mounts. */
  start(): void {
    const mq = window.matchMedia('(prefers-color-scheme: light)');
    this.system = mq.matches ? 'light' : 'dark';
    mq.addEventListener('change', (e) => {
      this.system = e.matches ? 'light' : 'dark';
      this.apply();
    });
    this.apply();
  }

  /** The next choice: system → light → dark → system. */
  cycle(): void {
    this.set(CHOICES[(CHOICES.indexOf(this.choice) + 1) % CHOICES.length]!);
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    try {
      if (choice === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, choice);
    } catch {
      /* storage unavailable: the choice lasts for the session */
    }
    this.apply();
  }

  private apply(): void {
    document.documentElement.dataset.theme = this.resolved;
  }
}

export const theme = new Theme();
