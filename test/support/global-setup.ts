import { node24 } from './node24';

// Installs Node 24 once, before the end-to-end files start in parallel workers that would race to install it.
export default function globalSetup(): void {
  node24();
}
