/** The customer's garage (vehicles.md §1): its own chunk, loaded on the first garage page. */
export { GaragePage, VehicleHistoryPage } from './garage-page';
