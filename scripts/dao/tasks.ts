export const daoTasks = [];
