// siemlab: no scroll box around tall outputs (charts, tables) in the classic Notebook: a room reads the
// whole chart on the projector. Jupyter Notebook 6 loads it from its config directory (scripts/jupyter.js notebookEnv()).
define(['notebook/js/outputarea'], function (outputarea) {
  outputarea.OutputArea.auto_scroll_threshold = -1;
});
