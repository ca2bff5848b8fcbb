// chart.js, registered once with only the pieces the pages use (keeps the
// bundle small), with motion turned off for people who asked for less.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Filler, Legend, Tooltip);

const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
Chart.defaults.animation = reducedMotion ? false : { duration: 400 };
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily || "system-ui, sans-serif";
Chart.defaults.color = "#33414e";
Chart.defaults.maintainAspectRatio = false;

/** Colours per update state; each passes 3:1 against white, as chart parts should. */
export const stateColors: Record<string, string> = {
  queued: "#7b8794",
  offered: "#2f6db5",
  downloading: "#1f8fb3",
  installing: "#7b5cc4",
  installed: "#1d7a46",
  failed: "#c0392b",
  cancelled: "#6b5b3e",
  skipped: "#b07d12",
};

export { Chart };
