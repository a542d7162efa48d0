export { createUiHandler, type UiApp, type UiHandler, type UiHandlerOptions } from './ui-handler.js';
export { withUi } from './with-ui.js';
